import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { OAuthModule } from '../oauth/oauth.module';
import { PaymentNotifyService } from './payment-notify.service';
import { RechargeAdminController } from './recharge-admin.controller';
import { RechargeExpiry } from './recharge-expiry';
import { PaymentNotifyController, RechargeController } from './recharge.controller';
import { RechargeService } from './recharge.service';

@Module({
  imports: [OAuthModule, LedgerModule],
  controllers: [RechargeController, PaymentNotifyController, RechargeAdminController],
  providers: [RechargeService, PaymentNotifyService, RechargeExpiry],
})
export class RechargeModule {}
