import { randomInt } from 'node:crypto';

/**
 * Pickup-code rules (pure). A code is 6 random digits, shown once to the operator, stored
 * hashed; it expires, is redeemed once, and wrong codes are counted per phone number.
 */
export const PICKUP_CODE = /^\d{6}$/;

/**
 * Days after expiry an order's code is still compared with: the claiming kiosk reads its order
 * again after expiry, and a late code gets a precise answer ("already used", "expired").
 */
export const PICKUP_CODE_RECENT_DAYS = 30;

export function newPickupCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function pickupExpiry(now: Date, ttlHours: number): Date {
  return new Date(now.getTime() + ttlHours * 3_600_000);
}

export interface AttemptState {
  failures: number;
  lockedUntil: Date | null;
}

export function isLocked(state: AttemptState, now: Date): boolean {
  return !!state.lockedUntil && state.lockedUntil.getTime() > now.getTime();
}

/**
 * After a wrong code: one more failure; the `maxFailures`-th locks the phone for `lockMinutes`
 * and starts a fresh count for when the lock ends. A lapsed lock counts from zero.
 */
export function afterWrongCode(state: AttemptState, now: Date, maxFailures: number, lockMinutes: number): AttemptState & { locked: boolean; left: number } {
  const lapsed = !!state.lockedUntil && state.lockedUntil.getTime() <= now.getTime();
  const failures = (lapsed ? 0 : state.failures) + 1;
  if (failures >= maxFailures) {
    return { failures: 0, lockedUntil: new Date(now.getTime() + lockMinutes * 60_000), locked: true, left: 0 };
  }
  return { failures, lockedUntil: lapsed ? null : state.lockedUntil, locked: false, left: maxFailures - failures };
}
