// Load from autocannon in a process of its own (load-process.ts), so the generator's CPU and its
// garbage collections sit in neither the measured service nor the benchmark's bookkeeping.
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { killWithParent } from '../../common/local';

export interface LoadRequest {
  path: string;
  /** POST by default. */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** content-type: application/json by default when there is a body. */
  headers?: Record<string, string>;
  /**
   * Sent as written, except that each `{{time}}` becomes a wire time (Asia/Shanghai,
   * `yyyy-MM-dd HH:mm:ss`) one second later at every send of this request, and each `{{seq}}` a
   * number no other send of the benchmark gets: a device's retry is answered from what was
   * stored, so every send must be a new event to measure the work of one.
   */
  body?: string;
}

export interface LoadSpec {
  url: string;
  /** Sent round robin on each connection. */
  requests: LoadRequest[];
  seconds: number;
  connections: number;
  /**
   * Offered requests per second (autocannon's overallRate: latency is corrected for coordinated
   * omission). Absent: closed loop, each connection sends again as soon as it is answered.
   */
  rate?: number;
}

export interface LoadResult {
  /** Answers (any status) and the rate they came at. */
  responses: number;
  rps: number;
  seconds: number;
  /** Latency, ms, from autocannon's histogram: whole milliseconds, rounded down (0 is "under 1 ms"). */
  p50: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts; answers other than 2xx. */
  errors: number;
  non2xx: number;
  /** autocannon's own results (histograms included), for pool(). */
  raw: RawResult[];
}

/** What load-process.ts answers. */
export interface LoadReply {
  results: RawResult[];
  /** The most times one request was sent (each send took the next second of `{{time}}`). */
  sends: number;
  nextSeq: number;
}

/** One autocannon instance's result as run with skipAggregateResult. */
export type RawResult = Record<string, unknown> & { duration: number; loadId: number };

// Where the next load's `{{time}}` and `{{seq}}` start: times two hours back, moved on past every
// time already sent, so no two loads of a run send the same event.
let nextTime = Math.floor(Date.now() / 1000) - 2 * 3600;
let nextSeq = 1;

// One generator process per kind, kept for the whole run: a fresh one per slice would start cold
// (loading autocannon took over a second of a busy machine, then JIT warm-up) inside every slice.
const generators = new Map<string, ChildProcess>();

function generator(rate: boolean): ChildProcess {
  const fromSources = __filename.endsWith('.ts');
  // At a rate, a small young generation keeps the generator's own pauses short: on this machine a
  // scavenge cost about 0.7 ms per MB of semi-space, charged to whatever answer it delayed.
  const execArgv = [...(fromSources ? ['-r', '@swc-node/register'] : []), ...(rate ? ['--max-semi-space-size=1'] : [])];
  const key = execArgv.join(' ');
  let child = generators.get(key);
  if (!child || child.exitCode !== null) {
    child = fork(join(__dirname, `load-process.${fromSources ? 'ts' : 'js'}`), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    killWithParent(child);
    generators.set(key, child);
  }
  return child;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = generator(spec.rate !== undefined);
  const done = new AbortController();
  child.ref();
  child.channel?.ref();
  try {
    const exited = once(child, 'exit', { signal: done.signal }).then(([code]) => {
      throw new Error(`load generator exited with ${code} before answering`);
    });
    child.send({ spec, startUnixS: nextTime, seqStart: nextSeq });
    const [reply] = (await Promise.race([once(child, 'message'), exited])) as [LoadReply];
    nextTime += reply.sends + 1;
    nextSeq = reply.nextSeq;
    return summarise(reply.results);
  } finally {
    done.abort();
    // An idle generator does not keep the benchmark alive; it dies with it (killWithParent).
    child.unref();
    child.channel?.unref();
  }
}

/** Several results as one: autocannon pools their histograms, so p99 is that of every answer. */
export function pool(results: LoadResult[]): LoadResult {
  return summarise(results.flatMap((r) => r.raw));
}

// autocannon's documented pooling of results run with skipAggregateResult (not in its typings).
const aggregateResult = (autocannon as unknown as { aggregateResult(results: RawResult[], options: { url: string }): autocannon.Result }).aggregateResult;

function summarise(raw: RawResult[]): LoadResult {
  const pooled = aggregateResult(raw, { url: 'http://127.0.0.1' }); // the url only labels the result
  // The instances of one load ran side by side (load-process.ts), so their rates add; loads add
  // their answers and their seconds.
  const answers = (r: object) => ['1xx', '2xx', '3xx', '4xx', '5xx'].reduce((sum, k) => sum + Number((r as Record<string, unknown>)[k] ?? 0), 0);
  let responses = 0;
  let seconds = 0;
  for (const loadId of new Set(raw.map((r) => r.loadId))) {
    const instances = raw.filter((r) => r.loadId === loadId);
    const n = instances.reduce((sum, r) => sum + answers(r), 0);
    const rate = instances.reduce((sum, r) => sum + answers(r) / Math.max(r.duration, 1e-3), 0);
    responses += n;
    seconds += n / Math.max(rate, 1e-9);
  }
  return {
    responses,
    rps: responses / Math.max(seconds, 1e-9),
    seconds,
    p50: pooled.latency.p50,
    p99: pooled.latency.p99,
    max: pooled.latency.max,
    errors: pooled.errors,
    non2xx: pooled.non2xx,
    raw,
  };
}
