/**
 * The service's own view of its latency: Fastify's per-route histogram from /metrics
 * (request in → response out, without the client or the loopback). Buckets, so coarse.
 */
export type RouteBuckets = Map<string, Map<number, number>>;

export async function routeBuckets(url: string): Promise<RouteBuckets> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
  const out: RouteBuckets = new Map();
  const re = /^http_request_duration_seconds_bucket\{([^}]*)\} (\d+(?:\.\d+)?)$/gm;
  for (const m of text.matchAll(re)) {
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (!labels.route?.startsWith('/yktInfo')) continue;
    const key = `${labels.route.split('/')[3]}`;
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le) * 1000;
    const buckets = out.get(key) ?? new Map<number, number>();
    buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
    out.set(key, buckets);
  }
  return out;
}

/** Share of requests slower than `thresholdMs` per route between two snapshots. */
export function shareOver(before: RouteBuckets, after: RouteBuckets, thresholdMs: number): Array<{ route: string; count: number; over: number }> {
  const rows: Array<{ route: string; count: number; over: number }> = [];
  for (const [route, buckets] of after) {
    const prior = before.get(route) ?? new Map<number, number>();
    const total = (buckets.get(Infinity) ?? 0) - (prior.get(Infinity) ?? 0);
    const within = (buckets.get(thresholdMs) ?? 0) - (prior.get(thresholdMs) ?? 0);
    if (total > 0) rows.push({ route, count: total, over: (total - within) / total });
  }
  return rows.sort((a, b) => a.route.localeCompare(b.route));
}
