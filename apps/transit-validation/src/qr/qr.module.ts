import { Module } from '@nestjs/common';
import { QrAdminController } from './qr-admin.controller';
import { QrKeyRing } from './qr-key-ring';
import { TicketController } from './ticket.controller';
import { TicketService } from './ticket.service';

@Module({
  controllers: [TicketController, QrAdminController],
  providers: [QrKeyRing, TicketService],
  exports: [QrKeyRing],
})
export class QrModule {}
