import { Module } from '@nestjs/common';
import { PresenceModule } from '../presence/presence.module';
import { QrModule } from '../qr/qr.module';
import { WhitelistModule } from '../whitelist/whitelist.module';
import { HeartbeatWriter } from './heartbeat-writer';
import { LocationReportController } from './location-report.controller';
import { LocationReportService } from './location-report.service';

@Module({
  imports: [WhitelistModule, QrModule, PresenceModule],
  controllers: [LocationReportController],
  providers: [HeartbeatWriter, LocationReportService],
})
export class HeartbeatModule {}
