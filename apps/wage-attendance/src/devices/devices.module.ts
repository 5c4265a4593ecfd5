import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { TerminalAuthModule } from '../terminal-auth/terminal-auth.module';
import { Device } from './device.entity';
import { DevicesAdminController } from './devices-admin.controller';
import { DevicesAdminService } from './devices-admin.service';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { OfflineSweep } from './offline-sweep';
import { TerminalHeartbeatController } from './terminal-heartbeat.controller';
import { TerminalPresence } from './terminal-presence';

@Module({
  imports: [TypeOrmModule.forFeature([Device]), CallbacksModule, TerminalAuthModule],
  controllers: [DevicesController, TerminalHeartbeatController, DevicesAdminController],
  providers: [DevicesService, DevicesAdminService, TerminalPresence, OfflineSweep],
  exports: [DevicesService],
})
export class DevicesModule {}
