// The card_check figure: throughput and p99 with 20 connections sending as fast as answers come
// back, beside the bare-Fastify baseline in the same run. Every request is a distinct tap (a
// repeated tap would be a validator's retry, stored once), so every answer is a row written and
// an event published. (A run paced at 5,000 req/s was tried: wrk's per-connection delay and
// autocannon's rate limit each add tens of ms to the baseline's own p99, so neither can tell the
// service's latency at that rate.)
import { withClient } from './processes';
import { Context, describeLoad, drainOutbox, fmt, log, rows } from './context';
import { cardCheckRequests, cardCheckTemplates, nextTapStart } from './fixtures';
import { load, LoadResult, sleep } from './load';
import { wrkAvailable, wrkTaps } from './wrk';

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
  const svc = await taps(ctx.url, ctx.seconds);
  log(`card_check service:  ${describeLoad(svc)} (${svc.errors} errors)`);
  const drained = await drainOutbox(ctx);
  log(`card.checked events: outbox drained ${fmt(drained.ms / 1000, 1)} s after the load (${fmt(drained.backlog)} were waiting when it ended)`);
  log(`card_check rows stored: ${fmt((await settledCount(countChecks)) - rowsBefore)} for ${fmt(svc.responses - svc.non2xx)} answers`);
  const base = await taps(ctx.baseUrl!, ctx.seconds);
  log(`card_check baseline: ${describeLoad(base)}`);

  rows.push({
    figure: 'card_check',
    service: describeLoad(svc),
    baseline: describeLoad(base),
    target: '≥ 5,000 req/s, p99 < 10 ms',
    ok: svc.rps >= 5000 && svc.p99 < 10 && svc.errors === 0,
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
