import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { newSecret, SecretBox } from '@onecard/platform';
import { CardIssuanceConfig } from '../config';

/** Issues kiosk secrets and seals them at rest under MACHINE_SECRET_KEY. */
@Injectable()
export class MachineSecrets {
  private readonly box: SecretBox;

  constructor(config: CardIssuanceConfig) {
    if (config.MACHINE_SECRET_KEY) {
      this.box = new SecretBox(config.MACHINE_SECRET_KEY);
    } else {
      // Only outside production (config validation requires the key there).
      new Logger('machine-secrets').warn('MACHINE_SECRET_KEY is not set: kiosk secrets are sealed under a per-process key and stop working after a restart');
      this.box = new SecretBox(randomBytes(32).toString('hex'));
    }
  }

  /** A new secret in clear (shown once) and its sealed form (stored). */
  issue(): { secret: string; sealed: string } {
    const secret = newSecret();
    return { secret, sealed: this.box.seal(secret) };
  }

  open(sealed: string): string {
    return this.box.open(sealed);
  }
}
