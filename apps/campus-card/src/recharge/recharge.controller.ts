import { Body, Get, HttpCode, Post } from '@nestjs/common';
import { DeviceController } from '@onecard/platform';
import { ApiCall, Caller, cardholderOf, CurrentCaller } from '../oauth/api-token.guard';
import { PaymentNotifyDto, RechargeQuery, SubmitRechargeDto } from './dto/recharge.dto';
import { PaymentNotifyService } from './payment-notify.service';
import { RechargeService } from './recharge.service';

/** 查询充值请求 / 提交充值请求. */
@DeviceController('v1/me/card/recharge', 'card api')
export class RechargeController {
  constructor(private readonly recharges: RechargeService) {}

  @Get()
  @ApiCall({ scopes: ['write_card_info'], grant: 'authorization_code' })
  query(@Body() query: RechargeQuery, @CurrentCaller() caller: Caller) {
    return this.recharges.query(cardholderOf(caller), query);
  }

  @Post()
  @HttpCode(200)
  @ApiCall({ scopes: ['write_card_info'], grant: 'authorization_code' })
  submit(@Body() dto: SubmitRechargeDto, @CurrentCaller() caller: Caller) {
    return this.recharges.submit(cardholderOf(caller), dto, caller);
  }
}

/** The payment system's notification (form id, amount, payTime, status, sign); signed, no token. */
@DeviceController('v1/payment', 'payment system')
export class PaymentNotifyController {
  constructor(private readonly payments: PaymentNotifyService) {}

  @Post('notify')
  @HttpCode(200)
  async notify(@Body() dto: PaymentNotifyDto) {
    await this.payments.notify(dto);
    return {};
  }
}
