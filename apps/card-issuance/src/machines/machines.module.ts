import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CardKeysModule } from '../card-keys/card-keys.module';
import { KioskAuthModule } from '../kiosk-auth/kiosk-auth.module';
import { Machine } from './machine.entity';
import { MachinesAdminController } from './machines-admin.controller';
import { MachinesKioskController } from './machines-kiosk.controller';
import { MachinesService } from './machines.service';

@Module({
  imports: [TypeOrmModule.forFeature([Machine]), KioskAuthModule, CardKeysModule],
  controllers: [MachinesAdminController, MachinesKioskController],
  providers: [MachinesService],
  exports: [MachinesService],
})
export class MachinesModule {}
