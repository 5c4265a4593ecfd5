import { Module } from '@nestjs/common';
import { MachinesModule } from './machines/machines.module';
import { OrdersModule } from './orders/orders.module';
import { PersonalisationModule } from './personalisation/personalisation.module';

/** card-issuance's features. */
@Module({ imports: [MachinesModule, OrdersModule, PersonalisationModule] })
export class AppModule {}
