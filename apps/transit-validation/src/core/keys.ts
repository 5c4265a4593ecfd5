import { Injectable } from '@nestjs/common';
import { keysOrDevelopmentKey } from '@onecard/kernel';
import { SealingKeys, SecretBox } from '@onecard/platform';
import { TransitValidationConfig } from '../config';

/**
 * The service's two key settings, each a list, newest first, so either rotates without a
 * lockout: the SecretBox sealing device secrets and QR private keys (TRANSIT_SECRET_KEY, checked
 * against the schema and re-sealed by the platform at start-up), and the HMAC keys of device
 * tokens (TRANSIT_TOKEN_KEY: tokens are signed with the first and accepted under any, so
 * validators holding a token signed with the old key keep working until it expires).
 */
@Injectable()
export class TransitKeys {
  readonly secretBox: SecretBox;
  /** Newest first. */
  readonly tokenKeys: readonly Buffer[];

  constructor(config: TransitValidationConfig, sealing: SealingKeys) {
    this.secretBox = sealing.box('TRANSIT_SECRET_KEY');
    // Configured keys are used as their characters; the development key as its 32 bytes.
    this.tokenKeys = config.TRANSIT_TOKEN_KEY
      ? keysOrDevelopmentKey(config, 'TRANSIT_TOKEN_KEY', config.TRANSIT_TOKEN_KEY).map((key) => Buffer.from(key, 'utf8'))
      : [Buffer.from(keysOrDevelopmentKey(config, 'TRANSIT_TOKEN_KEY', undefined)[0], 'hex')];
  }
}
