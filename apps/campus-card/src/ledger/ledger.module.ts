import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module';
import { Ledger } from './ledger';
import { PosAdminController } from './pos-admin.controller';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

@Module({
  imports: [OAuthModule],
  controllers: [TransactionsController, PosAdminController],
  providers: [Ledger, TransactionsService],
  exports: [Ledger],
})
export class LedgerModule {}
