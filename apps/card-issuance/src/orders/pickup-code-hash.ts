import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { keysOrDevelopmentKey } from '@onecard/kernel';
import { verifySecret } from '@onecard/platform';
import { CardIssuanceConfig } from '../config';

/** `hmac-sha256$<key fingerprint>$<base64 MAC>`: says which PICKUP_CODE_KEY hashed it. */
const SCHEME = 'hmac-sha256';
/** Codes issued before PICKUP_CODE_KEY existed: the platform's salted scrypt (hashSecret). */
const LEGACY_SCHEME = 'scrypt';

/**
 * How a typed code compares with a stored hash: `current` (under the newest key), `stale` (right,
 * but under an older listed key or scrypt: store `hash()` again) or `wrong`.
 */
export type CodeMatch = 'current' | 'stale' | 'wrong';

/** 8 hex digits naming a pickup code key in stored hashes and messages; says nothing usable about the key. */
export function pickupKeyFingerprint(key: Buffer): string {
  return createHash('sha256').update('onecard pickup code key\0').update(key).digest('hex').slice(0, 8);
}

/** The key fingerprint a stored hash names; undefined for a scrypt hash or anything else. */
export function hashedWithFingerprint(stored: string): string | undefined {
  const parts = stored.split('$');
  return parts.length === 3 && parts[0] === SCHEME ? parts[1] : undefined;
}

/**
 * Pickup codes at rest: HMAC-SHA256 under a server-side key (PICKUP_CODE_KEY), over the order id
 * and the code. A 6-digit code is a million guesses whatever the hash: scrypt only slowed an
 * attacker holding the table, and cost tens of ms of thread-pool CPU per attempt (50 kiosks at once
 * starved every other call). Without the key, which is never in the database, the table gives
 * nothing to guess against; online guessing is bounded by expiry and the per-phone lock. The
 * order id in the MAC makes equal codes of two orders hash differently and a hash useless on
 * another row.
 */
@Injectable()
export class PickupCodeHasher {
  /** By fingerprint, newest (the hashing one) first. */
  private readonly keys = new Map<string, Buffer>();
  private readonly newest: string;

  constructor(config: CardIssuanceConfig) {
    for (const hex of keysOrDevelopmentKey(config, 'PICKUP_CODE_KEY', config.PICKUP_CODE_KEY)) {
      const key = Buffer.from(hex, 'hex');
      this.keys.set(pickupKeyFingerprint(key), key);
    }
    this.newest = this.keys.keys().next().value as string;
  }

  /** Fingerprints of the configured keys, newest first. */
  get fingerprints(): string[] {
    return [...this.keys.keys()];
  }

  hash(orderId: string, code: string): string {
    return `${SCHEME}$${this.newest}$${mac(this.keys.get(this.newest) as Buffer, orderId, code).toString('base64')}`;
  }

  /** Constant-time for HMAC hashes; a scrypt hash (an order from before) costs its scrypt. */
  async match(orderId: string, code: string, stored: string): Promise<CodeMatch> {
    const parts = stored.split('$');
    if (parts[0] === LEGACY_SCHEME) return (await verifySecret(code, stored)) ? 'stale' : 'wrong';
    const key = parts.length === 3 && parts[0] === SCHEME ? this.keys.get(parts[1]) : undefined;
    if (!key) return 'wrong';
    const expected = Buffer.from(parts[2], 'base64');
    const actual = mac(key, orderId, code);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'wrong';
    return parts[1] === this.newest ? 'current' : 'stale';
  }

  /** Keeps keys out of accidental JSON dumps and console.log. */
  toJSON(): object {
    return { fingerprints: this.fingerprints };
  }
}

function mac(key: Buffer, orderId: string, code: string): Buffer {
  return createHmac('sha256', key).update(`${orderId}\0${code}`).digest();
}
