import { Module } from '@nestjs/common';
import { KioskAuthGuard } from './kiosk-auth.guard';
import { KioskOfflineSweep } from './kiosk-offline-sweep';
import { KioskPresence } from './kiosk-presence';
import { MachineCredentials } from './machine-credentials';
import { MachineSecrets } from './machine-secrets';

/** Kiosk request signatures: the secret cache and the guard (KioskController keeps the raw bodies); kiosks' presence (online/offline). */
@Module({
  providers: [MachineSecrets, MachineCredentials, KioskAuthGuard, KioskPresence, KioskOfflineSweep],
  exports: [MachineSecrets, MachineCredentials, KioskAuthGuard, KioskPresence],
})
export class KioskAuthModule {}
