import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AdminController, DeviceController } from '@onecard/platform';
import { ApiCall, Caller, cardholderOf, CurrentCaller } from '../oauth/api-token.guard';
import { SubmitTransferDto, TransferListQuery, TransferQuery } from './dto/transfer.dto';
import { TransferService } from './transfer.service';

/** 查询校园卡余额转结订单 / 校园卡余额转结: open only to clients registered with allowTransfer. */
@DeviceController('v1/me/card/transfer', 'card api')
export class TransferController {
  constructor(private readonly transfers: TransferService) {}

  @Get()
  @ApiCall({ scopes: ['write_card_info'], grant: 'authorization_code', transferClientsOnly: true })
  open(@Body() query: TransferQuery, @CurrentCaller() caller: Caller) {
    return this.transfers.open(cardholderOf(caller), query.cardNo);
  }

  @Post()
  @HttpCode(200)
  @ApiCall({ scopes: ['write_card_info'], grant: 'authorization_code', transferClientsOnly: true })
  submit(@Body() dto: SubmitTransferDto, @CurrentCaller() caller: Caller) {
    return this.transfers.submit(cardholderOf(caller), dto, caller);
  }
}

/** Operators (or the wallet's integration): the wallet side of transfer orders. */
@AdminController('transfers')
export class TransferAdminController {
  constructor(private readonly transfers: TransferService) {}

  @Get()
  list(@Query() query: TransferListQuery) {
    return this.transfers.list(query);
  }

  @Post(':id/recharging')
  @HttpCode(200)
  recharging(@Param('id') id: string) {
    return this.transfers.recharging(id);
  }

  @Post(':id/recharged')
  @HttpCode(200)
  recharged(@Param('id') id: string) {
    return this.transfers.recharged(id);
  }

  /** Gives the held amount back to the card. */
  @Post(':id/refund')
  @HttpCode(200)
  refund(@Param('id') id: string) {
    return this.transfers.refund(id);
  }
}
