import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CardKeysModule } from '../card-keys/card-keys.module';
import { KioskAuthModule } from '../kiosk-auth/kiosk-auth.module';
import { CardOrder } from './card-order.entity';
import { OrdersAdminController, PickupLocksAdminController } from './orders-admin.controller';
import { OrdersKioskController } from './orders-kiosk.controller';
import { OrdersService } from './orders.service';
import { PickupAttempt } from './pickup-attempt.entity';
import { PickupAttemptSweep } from './pickup-attempt-sweep';
import { PickupCodeHasher } from './pickup-code-hash';
import { PickupKeyCheck } from './pickup-key-check';
import { PickupService } from './pickup.service';

@Module({
  imports: [TypeOrmModule.forFeature([CardOrder, PickupAttempt]), KioskAuthModule, CardKeysModule],
  controllers: [OrdersAdminController, PickupLocksAdminController, OrdersKioskController],
  providers: [OrdersService, PickupService, PickupAttemptSweep, PickupCodeHasher, PickupKeyCheck],
})
export class OrdersModule {}
