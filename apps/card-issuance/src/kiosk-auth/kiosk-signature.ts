import { hmacSha256Hex, safeEqual, sha256Hex } from '@onecard/platform';

/**
 * The kiosk request signature (pure). A kiosk sends
 *   X-Machine-No, X-Timestamp (unix ms), X-Nonce, X-Signature
 * where X-Signature = lowercase hex HMAC-SHA256(secret, canonical string) and the canonical
 * string is METHOD \n path-with-query \n timestamp \n nonce \n lowercase hex SHA-256(raw body).
 * The key is the secret exactly as /admin issued it (its UTF-8 text).
 */
export interface SignedParts {
  method: string;
  /** Path and query exactly as sent on the request line (`/yktInfo/openCard/machineDetail/K1?x=1`). */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  /** Raw body bytes; empty for a GET. */
  body: Buffer | string;
}

export const EMPTY_BODY_SHA256 = sha256Hex('');

export function canonicalString(parts: SignedParts): string {
  const bodyHash = parts.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(parts.body);
  return `${parts.method.toUpperCase()}\n${parts.pathWithQuery}\n${parts.timestamp}\n${parts.nonce}\n${bodyHash}`;
}

export function signKioskRequest(secret: string, parts: SignedParts): string {
  return hmacSha256Hex(secret, canonicalString(parts));
}

export function signatureMatches(secret: string, parts: SignedParts, signature: string): boolean {
  return safeEqual(signKioskRequest(secret, parts), signature.toLowerCase());
}

export type TimestampCheck = { ok: true } | { ok: false; problem: 'malformed' | 'stale' };

/** X-Timestamp must be unix milliseconds within `maxSkewMs` of the server clock, either way. */
export function checkTimestamp(value: string, nowMs: number, maxSkewMs: number): TimestampCheck {
  if (!/^\d{13}$/.test(value)) return { ok: false, problem: 'malformed' };
  return Math.abs(Number(value) - nowMs) > maxSkewMs ? { ok: false, problem: 'stale' } : { ok: true };
}

/** Header formats, checked before any lookup. */
export const KIOSK_HEADER_RULES = {
  'x-machine-no': /^[A-Za-z0-9_.-]{1,64}$/,
  'x-nonce': /^[A-Za-z0-9_-]{8,64}$/,
  'x-signature': /^[0-9a-fA-F]{64}$/,
} as const;
