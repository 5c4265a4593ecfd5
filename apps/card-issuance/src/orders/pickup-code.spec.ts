import { afterWrongCode, isLocked, newPickupCode, PICKUP_CODE, pickupExpiry } from './pickup-code';

const now = new Date('2026-01-01T00:00:00Z');

describe('pickup codes', () => {
  it('are 6 digits, leading zeros kept', () => {
    for (let i = 0; i < 200; i++) expect(newPickupCode()).toMatch(PICKUP_CODE);
  });

  it('expire after the configured hours (7 days by default)', () => {
    expect(pickupExpiry(now, 168).toISOString()).toBe('2026-01-08T00:00:00.000Z');
  });

  it('lock a phone on the 5th wrong code in a row, for the lock period', () => {
    let state = { failures: 0, lockedUntil: null as Date | null };
    const lefts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const next = afterWrongCode(state, now, 5, 30);
      expect(next.locked).toBe(false);
      lefts.push(next.left);
      state = next;
    }
    expect(lefts).toEqual([4, 3, 2, 1]);
    expect(isLocked(state, now)).toBe(false);
    const fifth = afterWrongCode(state, now, 5, 30);
    expect(fifth.locked).toBe(true);
    expect(isLocked(fifth, now)).toBe(true);
    expect(isLocked(fifth, new Date(now.getTime() + 30 * 60_000 - 1))).toBe(true);
    expect(isLocked(fifth, new Date(now.getTime() + 30 * 60_000))).toBe(false);
  });

  it('count afresh once a lock has lapsed', () => {
    const lapsed = { failures: 0, lockedUntil: new Date(now.getTime() - 1) };
    expect(afterWrongCode(lapsed, now, 5, 30)).toMatchObject({ failures: 1, lockedUntil: null, locked: false, left: 4 });
  });
});
