import { Body, Get } from '@nestjs/common';
import { DeviceController } from '@onecard/platform';
import { ApiCall, Caller, cardholderOf, CurrentCaller } from '../oauth/api-token.guard';
import { TransactionsQuery } from './dto/transactions.dto';
import { TransactionsService } from './transactions.service';

@DeviceController('v1/me/card/transactions', 'card api')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  /** 获取交易记录信息. */
  @Get()
  @ApiCall({ scopes: ['card_transactions'], grant: 'authorization_code' })
  page(@Body() query: TransactionsQuery, @CurrentCaller() caller: Caller) {
    return this.transactions.page(cardholderOf(caller), query);
  }
}
