import { Module } from '@nestjs/common';
import { CallbackDispatcher } from './callback-dispatcher';
import { CallbackQueue } from './callback-queue';
import { CallbackRetention } from './callback-retention';
import { CallbackSender } from './callback-sender';
import { CallbacksAdminController } from './callbacks-admin.controller';
import { CallbacksAdminService } from './callbacks-admin.service';
import { FetchCallbackSender } from './fetch-callback-sender';

/** Callbacks to the supervision platform: queued in the change's transaction, delivered in order per device. */
@Module({
  controllers: [CallbacksAdminController],
  providers: [CallbackQueue, CallbackDispatcher, CallbackRetention, CallbacksAdminService, { provide: CallbackSender, useClass: FetchCallbackSender }],
  exports: [CallbackQueue],
})
export class CallbacksModule {}
