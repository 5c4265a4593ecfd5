import { Injectable } from '@nestjs/common';
import { keyOrDevelopmentKey } from '@onecard/kernel';
import { SecretBox } from '@onecard/platform';
import { TransitValidationConfig } from '../config';

/**
 * The service's two keys: the SecretBox sealing device secrets and QR private keys, and the
 * HMAC key of device tokens. Both come from configuration (required in production).
 */
@Injectable()
export class TransitKeys {
  readonly secretBox: SecretBox;
  readonly tokenKey: Buffer;

  constructor(config: TransitValidationConfig) {
    this.secretBox = new SecretBox(keyOrDevelopmentKey(config, 'TRANSIT_SECRET_KEY', config.TRANSIT_SECRET_KEY));
    this.tokenKey = config.TRANSIT_TOKEN_KEY
      ? Buffer.from(config.TRANSIT_TOKEN_KEY, 'utf8')
      : Buffer.from(keyOrDevelopmentKey(config, 'TRANSIT_TOKEN_KEY', undefined), 'hex');
  }
}
