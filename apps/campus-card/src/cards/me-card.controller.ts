import { Body, Get, HttpCode, Post, Put } from '@nestjs/common';
import { DeviceController } from '@onecard/platform';
import { ApiCall, Caller, cardholderOf, CurrentCaller } from '../oauth/api-token.guard';
import { CardCallsService } from './card-calls.service';
import { IdentityQuery, OpenAccountDto, SetCardDto } from './dto/card-calls.dto';

/** /v1/me/card: a cardholder's calls (authorization-code tokens). */
@DeviceController('v1/me/card', 'card api')
export class MeCardController {
  constructor(private readonly cards: CardCallsService) {}

  /** 获取校园卡信息. */
  @Get()
  @ApiCall({ scopes: ['card_info'], grant: 'authorization_code' })
  info(@CurrentCaller() caller: Caller) {
    return this.cards.info(cardholderOf(caller));
  }

  /** 校园卡开户 (parameters in the query, as the document's example, or a body). */
  @Put()
  @ApiCall({ scopes: ['manage_card'], grant: 'authorization_code' })
  open(@Body() dto: OpenAccountDto, @CurrentCaller() caller: Caller) {
    return this.cards.open(dto, caller);
  }

  /** 设置卡信息和状态: lost=true|false and/or newPassword, with queryPassword. */
  @Post()
  @HttpCode(200)
  @ApiCall({ scopes: ['write_card_info'], grant: 'authorization_code' })
  set(@Body() dto: SetCardDto, @CurrentCaller() caller: Caller) {
    return this.cards.setCard(cardholderOf(caller), dto);
  }

  /** 查询校园卡身份信息. */
  @Get('user')
  @ApiCall({ scopes: ['manage_card', 'card_info'], grant: 'authorization_code' })
  identity(@Body() query: IdentityQuery) {
    return this.cards.identity(query.userCode);
  }
}
