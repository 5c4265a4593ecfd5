import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { OAuthModule } from '../oauth/oauth.module';
import { UsersModule } from '../users/users.module';
import { AccountOpening } from './account-opening';
import { CardCallsService } from './card-calls.service';
import { CardStatusService } from './card-status.service';
import { CardController } from './card.controller';
import { CardsAdminController } from './cards-admin.controller';
import { CardsRpcController } from './cards-rpc.controller';
import { FoundCardReports } from './found-card-reports';
import { MeCardController } from './me-card.controller';
import { QueryPasswords } from './query-passwords';

@Module({
  imports: [UsersModule, OAuthModule, LedgerModule],
  controllers: [MeCardController, CardController, CardsAdminController, CardsRpcController],
  providers: [CardCallsService, AccountOpening, CardStatusService, QueryPasswords, FoundCardReports],
  exports: [AccountOpening, CardStatusService, QueryPasswords],
})
export class CardsModule {}
