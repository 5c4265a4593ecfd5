import { Module } from '@nestjs/common';
import { PersonnelCardsModule } from './personnel-cards/personnel-cards.module';
import { SyncModule } from './sync/sync.module';

/** tuya-bridge's features: the sync from Tuya Cloud and the local personnel-card API. */
@Module({ imports: [SyncModule, PersonnelCardsModule] })
export class AppModule {}
