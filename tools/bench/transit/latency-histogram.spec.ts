import { LatencyHistogram, merge, percentileOf, record } from './latency-histogram';

describe('latency histogram', () => {
  const of = (values: number[]) => {
    const h: LatencyHistogram = {};
    for (const v of values) record(h, v);
    return h;
  };

  it('gives percentiles to within 1 %, never below the true value', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 0.2 + i * 0.05);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90, 99]) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1];
      const got = percentileOf(of(values), p);
      expect(got).toBeGreaterThanOrEqual(exact);
      expect(got).toBeLessThanOrEqual(exact * 1.01);
    }
  });

  it('pools slices: the p99 of all requests, not the worst slice', () => {
    const calm = of(Array.from({ length: 990 }, () => 1));
    const stalled = of([...Array.from({ length: 95 }, () => 1), ...Array.from({ length: 5 }, () => 100)]);
    expect(percentileOf(stalled, 99)).toBeGreaterThan(99);
    expect(percentileOf(merge([calm, stalled]), 99)).toBeLessThan(1.02);
    expect(percentileOf(merge([calm, stalled]), 99.9)).toBeGreaterThan(99);
  });

  it('is 0 when empty', () => {
    expect(percentileOf({}, 99)).toBe(0);
  });
});
