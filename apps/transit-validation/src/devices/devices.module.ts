import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WhitelistModule } from '../whitelist/whitelist.module';
import { DeviceAdminController } from './device-admin.controller';
import { DeviceEntity } from './device.entity';
import { DeviceRegistry } from './device-registry';
import { DevicesService } from './devices.service';
import { DeviceStateStore } from './device-state';

@Module({
  imports: [TypeOrmModule.forFeature([DeviceEntity]), WhitelistModule],
  controllers: [DeviceAdminController],
  providers: [DeviceRegistry, DevicesService, DeviceStateStore],
  exports: [DeviceRegistry, DeviceStateStore],
})
export class DevicesModule {}
