import { retryDelayMs } from './backoff';

describe('callback retry delay', () => {
  it('doubles from the base per failure up to the cap', () => {
    const top = () => 1; // the largest factor
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1000, 10_000, top))).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(retryDelayMs(500, 1000, 300_000, top)).toBe(300_000);
  });

  it('spreads each wait over half to all of it', () => {
    expect(retryDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(3, 1000, 60_000);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});
