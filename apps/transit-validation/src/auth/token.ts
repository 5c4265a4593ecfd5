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
 * A token exactly as `signToken` writes it: every part in its own alphabet, numbers without
 * leading zeros, the device id and MAC in unpadded base64url of the right length. Node's base64url
 * decoder skips characters outside the alphabet (and `=`), so without this a signed token with
 * junk appended or inserted read back as the same token.
 */
const TOKEN_FORM = /^v1\.([A-Za-z0-9_-]{2,172})\.(0|[1-9]\d{0,11})\.(0|[1-9]\d{0,8})\.([A-Za-z0-9_-]{43})$/;

/** The bytes of canonical unpadded base64url (the encoding that re-encodes to the same text), else undefined. */
function canonicalBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * The claims of a token one of these keys signed (the newest first: it signs every new token),
 * written as it was signed; undefined for anything else (expiry is the caller's).
 */
export function readToken(keys: Buffer | readonly Buffer[], token: string): TokenClaims | undefined {
  const parts = TOKEN_FORM.exec(token);
  if (!parts) return undefined;
  const [, deviceB64, exp, gen, macB64] = parts;
  const given = canonicalBase64url(macB64);
  if (!given) return undefined;
  const body = `${VERSION}.${deviceB64}.${exp}.${gen}`;
  const signedBy = (key: Buffer) => {
    const expected = mac(key, body);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (!(Buffer.isBuffer(keys) ? signedBy(keys) : keys.some(signedBy))) return undefined;
  const deviceBytes = canonicalBase64url(deviceB64);
  const deviceId = deviceBytes?.toString('utf8');
  // Only ids that went in as UTF-8 text come out (no replacement characters).
  if (!deviceId || Buffer.from(deviceId, 'utf8').toString('base64url') !== deviceB64) return undefined;
  return { deviceId, exp: Number(exp), gen: Number(gen) };
}
