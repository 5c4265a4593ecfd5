// Latencies kept as counts in buckets 1 % wide (log scale from 10 µs), so slices of an open-loop
// run can be pooled into one distribution: the p99 of all requests, not the worst slice's p99.

const FLOOR_MS = 0.01;
const STEP = Math.log(1.01);

/** Bucket index → count. */
export type LatencyHistogram = Record<string, number>;

export function bucketOf(ms: number): number {
  return ms <= FLOOR_MS ? 0 : Math.ceil(Math.log(ms / FLOOR_MS) / STEP);
}

/** The latency a bucket stands for: its upper edge (never below the latencies in it). */
export function bucketMs(bucket: number): number {
  return FLOOR_MS * Math.exp(bucket * STEP);
}

export function record(histogram: LatencyHistogram, ms: number): void {
  const b = bucketOf(ms);
  histogram[b] = (histogram[b] ?? 0) + 1;
}

export function merge(histograms: LatencyHistogram[]): LatencyHistogram {
  const out: LatencyHistogram = {};
  for (const h of histograms) for (const [b, n] of Object.entries(h)) out[b] = (out[b] ?? 0) + n;
  return out;
}

/** The p-th percentile (0–100) of the pooled latencies, to within 1 %; 0 when empty. */
export function percentileOf(histogram: LatencyHistogram, p: number): number {
  const buckets = Object.entries(histogram)
    .map(([b, n]) => [Number(b), n] as const)
    .sort((x, y) => x[0] - y[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [b, n] of buckets) {
    seen += n;
    if (seen >= rank) return bucketMs(b);
  }
  return bucketMs(buckets[buckets.length - 1][0]);
}
