import { Module } from '@nestjs/common';
import { KioskAuthGuard } from './kiosk-auth.guard';
import { MachineCredentials } from './machine-credentials';
import { MachineSecrets } from './machine-secrets';
import { RawBodyCapture } from './raw-body';

/** Kiosk request signatures: raw-body capture, the secret cache and the guard. */
@Module({
  providers: [RawBodyCapture, MachineSecrets, MachineCredentials, KioskAuthGuard],
  exports: [MachineSecrets, MachineCredentials, KioskAuthGuard],
})
export class KioskAuthModule {}
