import { retryDelay } from './retry-delay';

describe('retryDelay', () => {
  it('doubles from the base after each failed delivery', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 1000, 60_000, () => 0))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('adds at most a tenth at random', () => {
    expect(retryDelay(3, 1000, 60_000, () => 0.999)).toBe(4400);
    expect(retryDelay(3, 1000, 60_000, () => 0.5)).toBe(4200);
  });

  it('never waits longer than the maximum, however many deliveries failed', () => {
    expect(retryDelay(7, 1000, 60_000, () => 0)).toBe(60_000);
    expect(retryDelay(500, 1000, 60_000, () => 0.9)).toBe(60_000);
  });
});
