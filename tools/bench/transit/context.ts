// What the transit benchmark's figures share: the running service, the report rows, output.
import type { TransitAdmin, ValidatorDevice } from '../../sim/validator/client';
import { LoadResult, sleep } from './load';
import type { Started } from './processes';

export const log = (line: string) => process.stdout.write(`${line}\n`);
export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export interface Row {
  figure: string;
  service: string;
  baseline: string;
  target: string;
  ok: boolean;
}
/** The summary table, one row per figure, printed at the end. */
export const rows: Row[] = [];

export function describeLoad(r: LoadResult): string {
  return `${fmt(r.rps)} req/s, p99 ${fmt(r.p99, 1)} ms`;
}

export interface Context {
  url: string;
  baseUrl?: string;
  /** The baseline server's process, for its CPU time. */
  basePid?: number;
  service: Started;
  admin: TransitAdmin;
  devices: ValidatorDevice[];
  version: number;
  /** Connection string whose search_path is the benchmark's schema. */
  schemaUrl: string;
  seconds: number;
  connections: number;
  cards: number;
}

/** Waits until the outbox relay has published everything (so one figure's events do not load the next). */
export async function drainOutbox(ctx: Context): Promise<{ ms: number; backlog: number }> {
  const started = Date.now();
  let first = -1;
  for (;;) {
    const status = await ctx.admin.call('GET', '/admin/outbox');
    const backlog = Number(status.backlog);
    if (first < 0) first = backlog;
    if (backlog === 0 || Date.now() - started > 180_000) return { ms: Date.now() - started, backlog: first };
    await sleep(200);
  }
}
