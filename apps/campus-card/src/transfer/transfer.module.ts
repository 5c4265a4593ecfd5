import { Module } from '@nestjs/common';
import { CardsModule } from '../cards/cards.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OAuthModule } from '../oauth/oauth.module';
import { TransferAdminController, TransferController } from './transfer.controller';
import { TransferService } from './transfer.service';

@Module({
  imports: [OAuthModule, LedgerModule, CardsModule],
  controllers: [TransferController, TransferAdminController],
  providers: [TransferService],
})
export class TransferModule {}
