import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a device token says: whose it is, until when, and under which secret generation. */
export interface TokenClaims {
  deviceId: string;
  /** Expiry, unix seconds. */
  exp: number;
  /** The device's token generation (bumped when its secret is rotated). */
  gen: number;
}

const VERSION = 'v1';

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

/**
 * Device tokens are self-verifying, so any replica accepts a token another one issued without
 * a shared session store: `v1.<base64url device_id>.<exp>.<gen>.<base64url HMAC-SHA256>` under
 * TRANSIT_TOKEN_KEY. Revocation is by generation (rotating a device's secret bumps it).
 */
export function signToken(key: Buffer, claims: TokenClaims): string {
  const body = `${VERSION}.${Buffer.from(claims.deviceId, 'utf8').toString('base64url')}.${claims.exp}.${claims.gen}`;
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/**
 * The claims of a token one of these keys signed (the newest first: it signs every new token);
 * undefined for anything else (expiry is the caller's).
 */
export function readToken(keys: Buffer | readonly Buffer[], token: string): TokenClaims | undefined {
  if (token.length > 512) return undefined;
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION || !/^\d{1,12}$/.test(parts[2]) || !/^\d{1,9}$/.test(parts[3])) return undefined;
  const body = parts.slice(0, 4).join('.');
  const given = Buffer.from(parts[4], 'base64url');
  const signedBy = (key: Buffer) => {
    const expected = mac(key, body);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (!(Buffer.isBuffer(keys) ? signedBy(keys) : keys.some(signedBy))) return undefined;
  const deviceId = Buffer.from(parts[1], 'base64url').toString('utf8');
  return deviceId ? { deviceId, exp: Number(parts[2]), gen: Number(parts[3]) } : undefined;
}
