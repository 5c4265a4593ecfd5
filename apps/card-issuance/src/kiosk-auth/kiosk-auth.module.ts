import { Module } from '@nestjs/common';
import { KioskAuthGuard } from './kiosk-auth.guard';
import { MachineCredentials } from './machine-credentials';
import { MachineSecrets } from './machine-secrets';

/** Kiosk request signatures: the secret cache and the guard (KioskController keeps the raw bodies). */
@Module({
  providers: [MachineSecrets, MachineCredentials, KioskAuthGuard],
  exports: [MachineSecrets, MachineCredentials, KioskAuthGuard],
})
export class KioskAuthModule {}
