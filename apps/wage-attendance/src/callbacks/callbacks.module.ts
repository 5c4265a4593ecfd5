import { Module } from '@nestjs/common';
import { CallbackDispatcher } from './callback-dispatcher';
import { CallbackQueue } from './callback-queue';
import { CallbackRetention } from './callback-retention';
import { CallbackSender } from './callback-sender';
import { CallbacksAdminController } from './callbacks-admin.controller';
import { CallbacksAdminService } from './callbacks-admin.service';
import { SupervisionPlatformSender } from './supervision-platform.sender';

/** Callbacks to the supervision platform: queued in the change's transaction, delivered in order per device. */
@Module({
  controllers: [CallbacksAdminController],
  providers: [CallbackQueue, CallbackDispatcher, CallbackRetention, CallbacksAdminService, { provide: CallbackSender, useClass: SupervisionPlatformSender }],
  exports: [CallbackQueue],
})
export class CallbacksModule {}
