import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WhitelistModule } from '../whitelist/whitelist.module';
import { DeviceAdminController } from './device-admin.controller';
import { DeviceEntity } from './device.entity';
import { DeviceRegistry } from './device-registry';
import { DevicesService } from './devices.service';
import { DeviceStateStore } from './device-state';
import { LineAdminController } from './line-admin.controller';
import { LineSettings } from './line-settings';

@Module({
  imports: [TypeOrmModule.forFeature([DeviceEntity]), WhitelistModule],
  controllers: [DeviceAdminController, LineAdminController],
  providers: [DeviceRegistry, DevicesService, DeviceStateStore, LineSettings],
  exports: [DeviceRegistry, DeviceStateStore, LineSettings],
})
export class DevicesModule {}
