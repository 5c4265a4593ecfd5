import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SecretBox } from '@onecard/platform';
import { TransitValidationConfig } from '../config';

function derive(label: string, adminToken: string): Buffer {
  return createHash('sha256').update(`onecard/transit-validation/${label}/${adminToken}`).digest();
}

/**
 * The service's two keys: the SecretBox sealing device secrets and QR private keys, and the
 * HMAC key of device tokens. Both come from configuration; outside production a missing one is
 * derived from ADMIN_TOKEN so a developer's `npm start` works.
 */
@Injectable()
export class TransitKeys {
  readonly secretBox: SecretBox;
  readonly tokenKey: Buffer;

  constructor(config: TransitValidationConfig) {
    const log = new Logger('keys');
    const boxKey = config.TRANSIT_SECRET_KEY ?? derive('secret-box', config.ADMIN_TOKEN).toString('hex');
    if (!config.TRANSIT_SECRET_KEY) log.warn('TRANSIT_SECRET_KEY not set: using a development key derived from ADMIN_TOKEN');
    this.secretBox = new SecretBox(boxKey);
    this.tokenKey = config.TRANSIT_TOKEN_KEY ? Buffer.from(config.TRANSIT_TOKEN_KEY, 'utf8') : derive('token', config.ADMIN_TOKEN);
    if (!config.TRANSIT_TOKEN_KEY) log.warn('TRANSIT_TOKEN_KEY not set: using a development key derived from ADMIN_TOKEN');
  }
}
