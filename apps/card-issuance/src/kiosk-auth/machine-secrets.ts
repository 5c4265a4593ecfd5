import { Injectable } from '@nestjs/common';
import { newSecret, SealingKeys, SecretBox } from '@onecard/platform';

/**
 * Issues kiosk secrets and seals them at rest under MACHINE_SECRET_KEY (a list, newest first:
 * sealed with the newest, opened with the one that sealed it). The platform checks the key
 * against the machine table at start-up and re-seals what an older listed key sealed.
 */
@Injectable()
export class MachineSecrets {
  private readonly box: SecretBox;

  constructor(keys: SealingKeys) {
    this.box = keys.box('MACHINE_SECRET_KEY');
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
