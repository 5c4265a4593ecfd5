import { Injectable } from '@nestjs/common';
import { keyOrDevelopmentKey } from '@onecard/kernel';
import { newSecret, SecretBox } from '@onecard/platform';
import { CardIssuanceConfig } from '../config';

/** Issues kiosk secrets and seals them at rest under MACHINE_SECRET_KEY. */
@Injectable()
export class MachineSecrets {
  private readonly box: SecretBox;

  constructor(config: CardIssuanceConfig) {
    // Required in production (config validation); elsewhere a development key derived from ADMIN_TOKEN.
    this.box = new SecretBox(keyOrDevelopmentKey(config, 'MACHINE_SECRET_KEY', config.MACHINE_SECRET_KEY));
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
