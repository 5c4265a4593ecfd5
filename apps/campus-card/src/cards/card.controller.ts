import { Body, Get, HttpCode, Post } from '@nestjs/common';
import { DeviceController } from '@onecard/platform';
import { ApiCall, Caller, CurrentCaller } from '../oauth/api-token.guard';
import { CardCallsService } from './card-calls.service';
import { FoundCardDto, FreezeDto, LookupQuery } from './dto/card-calls.dto';

/** /v1/card: calls the document gives to clients themselves (client-credentials tokens). */
@DeviceController('v1/card', 'card api')
export class CardController {
  constructor(private readonly cards: CardCallsService) {}

  /** 根据学工号或物理卡号查询卡信息. */
  @Get()
  @ApiCall({ scopes: ['card_info'], grant: 'client_credentials' })
  lookup(@Body() query: LookupQuery) {
    return this.cards.lookup(query);
  }

  /** 冻结解冻校园卡. */
  @Post()
  @HttpCode(200)
  @ApiCall({ scopes: ['write_card_info'], grant: 'client_credentials' })
  freeze(@Body() dto: FreezeDto) {
    return this.cards.freeze(dto);
  }

  /** 提交拾卡信息. */
  @Post('foundLostCard')
  @HttpCode(200)
  @ApiCall({ scopes: ['card_info'], grant: 'client_credentials' })
  found(@Body() dto: FoundCardDto, @CurrentCaller() caller: Caller) {
    return this.cards.found(dto, caller);
  }
}
