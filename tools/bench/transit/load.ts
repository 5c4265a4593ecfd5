// Load generation (autocannon, in this process) and small timing helpers.
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  responses: number;
  errors: number;
  non2xx: number;
  seconds: number;
}

export interface LoadRequest {
  path: string;
  body: string;
  headers?: Record<string, string>;
  /** A fresh body each time the request is sent (autocannon rebuilds it), instead of `body` over and over. */
  nextBody?: () => string;
}

/** POSTs the given requests round-robin over `connections` connections for `seconds`. */
export async function load(baseUrl: string, requests: LoadRequest[], seconds: number, connections: number): Promise<LoadResult> {
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: requests.map((r) => ({
      method: 'POST',
      path: r.path,
      body: r.body,
      headers: { 'content-type': 'application/json', ...(r.headers ?? {}) },
      ...(r.nextBody ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: r.nextBody!() }) } : {}),
    })),
  });
  const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    rps: responses / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    responses,
    errors: result.errors,
    non2xx: result.non2xx,
    seconds: result.duration,
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
