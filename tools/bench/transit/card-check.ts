// The card_check figures, each beside the bare-Fastify baseline in the same run: throughput with
// 20 connections sending as fast as answers come back (closed loop: its p99 is latency at
// saturation), and latency with 5,000 req/s offered open-loop (open-loop.ts: a C generator in its
// own process; wrk's per-connection delay, autocannon's rate limit and node:http were tried and
// each added tens of ms to the baseline's own p99), both with service and baseline in alternating
// slices; the open loop's percentiles pool every request of a side's slices. Every request is a distinct tap (a repeated
// tap would be a validator's retry, stored once), so every answer is a row written and an event
// published.
import { withClient } from './processes';
import { alternate, ROUNDS, sliceSeconds, SideResult } from './alternate';
import { Context, describeLoad, drainOutbox, fmt, log, rows } from './context';
import { cardCheckRequests, cardCheckTemplates, nextTapStart } from './fixtures';
import { load, LoadResult, sleep } from './load';
import { openLoop, openLoopGenerator, OpenLoopResult } from './open-loop';
import { merge, percentileOf } from './latency-histogram';
import { wrkAvailable, wrkTaps } from './wrk';

/** Offered rate of the open-loop run: the 5,000 req/s (BENCH_PACED_RPS to explore others). */
const PACED_RPS = Number(process.env.BENCH_PACED_RPS) || 5000;

export async function cardCheckFigure(ctx: Context): Promise<void> {
  const wrk = wrkAvailable();
  const templates = cardCheckTemplates(ctx.devices, ctx.cards);
  const taps = (url: string, seconds: number): Promise<LoadResult> => {
    const start = nextTapStart();
    return wrk ? wrkTaps(url, templates, start, seconds, ctx.connections) : load(url, cardCheckRequests(templates, start), seconds, ctx.connections);
  };
  log(wrk ? 'card_check load from wrk (distinct taps from a Lua script)' : 'card_check load from autocannon in this process (wrk not found: `apt-get install wrk` takes its cost off these CPUs)');
  await taps(ctx.url, 2);
  await taps(ctx.baseUrl!, 2);
  await drainOutbox(ctx);

  const countChecks = () => withClient(ctx.schemaUrl, async (c) => Number((await c.query(`SELECT count(*) AS n FROM card_check`)).rows[0].n));
  const rowsBefore = await countChecks();
  const slice = sliceSeconds(ctx.seconds);
  const { service, baseline } = await alternate(
    ROUNDS,
    // The service's slice settles once its events are published, so the baseline's slice does not carry that work.
    { pid: ctx.service.pid, run: () => taps(ctx.url, slice), settle: async () => void (await drainOutbox(ctx)) },
    { pid: ctx.basePid!, run: () => taps(ctx.baseUrl!, slice) },
  );
  const svc = service.load;
  const base = baseline.load;
  const perSlice = (side: SideResult) => side.slices.map((r) => fmt(r.rps)).join(', ');
  log(`card_check service:  ${describeLoad(svc)} (${svc.errors} errors; slices ${perSlice(service)} req/s)`);
  log(`card_check rows stored: ${fmt((await settledCount(countChecks)) - rowsBefore)} for ${fmt(svc.responses - svc.non2xx)} answers`);
  log(`card_check baseline: ${describeLoad(base)} (slices ${perSlice(baseline)} req/s)`);
  // CPU per answer moves far less than req/s when the machine is shared; the service's includes
  // writing the row and relaying its event.
  log(`card_check CPU per answer: service ${fmt(service.processUs)} µs (request thread ${fmt(service.threadUs)} µs, whole machine ${fmt(service.machineUs)} µs: Postgres ${fmt(service.postgresUs)}, NATS ${fmt(service.natsUs)}), baseline ${fmt(baseline.processUs)} µs (request thread ${fmt(baseline.threadUs)} µs, whole machine ${fmt(baseline.machineUs)} µs: Postgres ${fmt(baseline.postgresUs)}, NATS ${fmt(baseline.natsUs)})`);

  // The target's rate, offered open-loop: latency at 5,000 req/s rather than at saturation, in
  // alternating slices like the closed loop; p50/p99 over every request of a side's slices.
  log(`open-loop generator: ${openLoopGenerator()}`);
  const atRate = (url: string) => () => openLoop(url, '/card_check', templates, nextTapStart(), PACED_RPS, slice);
  await drainOutbox(ctx);
  const paced = await alternate(
    ROUNDS,
    { pid: ctx.service.pid, run: atRate(ctx.url), settle: async () => void (await drainOutbox(ctx)) },
    { pid: ctx.basePid!, run: atRate(ctx.baseUrl!) },
  );
  const pooled = (side: SideResult<OpenLoopResult>): LoadResult & { offered: number; sliceP99: string } => {
    const histogram = merge(side.slices.map((r) => r.histogram));
    const offered = side.slices.reduce((sum, r) => sum + r.offered * r.seconds, 0) / Math.max(side.load.seconds, 1e-9);
    return { ...side.load, p50: percentileOf(histogram, 50), p99: percentileOf(histogram, 99), offered, sliceP99: side.slices.map((r) => fmt(r.p99, 1)).join(', ') };
  };
  const pacedSvc = pooled(paced.service);
  const pacedBase = pooled(paced.baseline);
  for (const [name, r] of [['service', pacedSvc], ['baseline', pacedBase]] as const) {
    log(`card_check at ${fmt(PACED_RPS)} req/s offered (${fmt(r.offered)} sent), ${name}: ${describeLoad(r)}, p50 ${fmt(r.p50, 1)} ms (${r.errors + r.non2xx} failed; slice p99s ${r.sliceP99} ms)`);
  }
  log(`card_check CPU per answer at ${fmt(PACED_RPS)} req/s: service ${fmt(paced.service.processUs)} µs (request thread ${fmt(paced.service.threadUs)} µs, whole machine ${fmt(paced.service.machineUs)} µs: Postgres ${fmt(paced.service.postgresUs)}, NATS ${fmt(paced.service.natsUs)}), baseline ${fmt(paced.baseline.processUs)} µs (request thread ${fmt(paced.baseline.threadUs)} µs, whole machine ${fmt(paced.baseline.machineUs)} µs: Postgres ${fmt(paced.baseline.postgresUs)}, NATS ${fmt(paced.baseline.natsUs)})`);

  rows.push({
    figure: 'card_check, closed loop',
    service: `${describeLoad(svc)}, ${fmt(service.processUs)} µs CPU each (${fmt(service.threadUs)} on the request thread)`,
    baseline: `${describeLoad(base)}, ${fmt(baseline.processUs)} µs CPU each (${fmt(baseline.threadUs)} on the request thread)`,
    target: '≥ 5,000 req/s',
    ok: svc.rps >= 5000 && svc.errors === 0,
  });
  rows.push({
    figure: `card_check, ${fmt(PACED_RPS)}/s offered`,
    service: describeLoad(pacedSvc),
    baseline: describeLoad(pacedBase),
    target: 'p99 < 10 ms at 5,000 req/s',
    ok: PACED_RPS >= 5000 && pacedSvc.rps >= 0.98 * PACED_RPS && pacedSvc.p99 < 10 && pacedSvc.errors + pacedSvc.non2xx === 0,
  });
  await sleep(1000);
}

/** Rows are written in batches after the answers: the count once it stops moving. */
async function settledCount(count: () => Promise<number>): Promise<number> {
  let stored = -1;
  for (let seen = await count(); seen !== stored; seen = await count()) {
    stored = seen;
    await sleep(300);
  }
  return stored;
}
