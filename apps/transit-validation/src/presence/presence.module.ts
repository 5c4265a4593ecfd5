import { Module } from '@nestjs/common';
import { ValidatorOfflineSweep } from './validator-offline-sweep';
import { ValidatorPresence } from './validator-presence';

/** Validators' online/offline transitions, published as device.status-changed: heartbeats bring them online, the sweep takes them offline. */
@Module({
  providers: [ValidatorPresence, ValidatorOfflineSweep],
  exports: [ValidatorPresence],
})
export class PresenceModule {}
