import { Module } from '@nestjs/common';
import { TuyaApiModule } from '../tuya-api/tuya-api.module';
import { PersonnelRepository } from './personnel-repository';
import { SyncAdminController } from './sync-admin.controller';
import { SyncRuns } from './sync-runs';
import { SyncScheduler } from './sync-scheduler';
import { SyncStatus } from './sync-status';
import { SyncService } from './sync.service';
import { TuyaPuller } from './tuya-puller';

@Module({
  imports: [TuyaApiModule],
  controllers: [SyncAdminController],
  providers: [SyncService, SyncRuns, SyncStatus, SyncScheduler, TuyaPuller, PersonnelRepository],
  exports: [PersonnelRepository],
})
export class SyncModule {}
