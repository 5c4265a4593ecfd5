import { Module } from '@nestjs/common';
import { CardsModule } from './cards/cards.module';
import { IssuanceModule } from './issuance/issuance.module';
import { LedgerModule } from './ledger/ledger.module';
import { OAuthModule } from './oauth/oauth.module';
import { PhotosModule } from './photos/photos.module';
import { RechargeModule } from './recharge/recharge.module';
import { TransferModule } from './transfer/transfer.module';
import { UsersModule } from './users/users.module';

/** campus-card's features. */
@Module({ imports: [UsersModule, OAuthModule, LedgerModule, CardsModule, PhotosModule, RechargeModule, TransferModule, IssuanceModule] })
export class AppModule {}
