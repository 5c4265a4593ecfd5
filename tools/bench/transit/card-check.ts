// card_check beside the bare-Fastify baseline: throughput with 20 connections sending as fast as
// answers come back (closed loop: its p99 is latency at saturation), then latency at 5,000/s
// offered (the target's rate). Every send is a distinct tap, so every answer is a row written and
// an event published; the service's slice settles once its events are out.
import { compare, describeCpu, describeLoad, fmt, log, logCompared, Proc, Report, runLoad, wholeMs } from '../common';
import { cardCheckRequests, countRows, drainOutbox, settledCount, Transit } from './fixtures';

/** Offered rate of the second figure: the target's 5,000 req/s (BENCH_RATE to explore others). */
const RATE = Number(process.env.BENCH_RATE) || 5000;

export async function cardCheckFigures(t: Transit, baseline: Proc, report: Report, seconds: number): Promise<void> {
  const requests = cardCheckRequests(t.devices, t.cards);
  for (const url of [t.service.url, baseline.url]) await runLoad({ url, requests, seconds: 2, connections: 20 }); // warm-up
  await drainOutbox(t);
  const checks = () => countRows(t.target, `SELECT count(*) AS n FROM card_check`);
  const before = await checks();
  const service = { ...t.service, settle: () => drainOutbox(t) };

  const closed = await compare({ service, baseline, seconds, load: () => ({ requests, connections: 20 }) });
  logCompared('card_check closed loop, service', closed.service);
  logCompared('card_check closed loop, baseline', closed.baseline);
  const answered = closed.service.load.responses - closed.service.load.non2xx;
  log(`  rows stored: ${fmt((await settledCount(checks)) - before)} for ${fmt(answered)} answers`);

  const paced = await compare({ service, baseline, seconds, load: () => ({ requests, connections: 40, rate: RATE }) });
  logCompared(`card_check at ${fmt(RATE)}/s, service`, paced.service);
  logCompared(`card_check at ${fmt(RATE)}/s, baseline`, paced.baseline);

  const s = closed.service;
  report.add({
    figure: `card_check, ${fmt(t.cards)} cards, 20 connections closed loop`,
    service: `${describeLoad(s.load)}, ${describeCpu(s.cpu)}`,
    baseline: `${describeLoad(closed.baseline.load)}, ${describeCpu(closed.baseline.cpu)}`,
    target: '≥ 5,000 req/s',
    ok: s.load.rps >= 5000 && s.load.errors === 0,
  });
  const p = paced.service.load;
  const b = paced.baseline.load;
  report.add({
    figure: `card_check, ${fmt(RATE)}/s offered`,
    service: `${fmt(p.rps)} req/s answered, p50 ${wholeMs(p.p50)}, p99 ${wholeMs(p.p99)}`,
    baseline: `p50 ${wholeMs(b.p50)}, p99 ${wholeMs(b.p99)}`,
    target: 'p99 < 10 ms at 5,000 req/s',
    ok: RATE >= 5000 && p.rps >= 0.98 * RATE && p.p99 < 10 && p.errors + p.non2xx === 0,
  });
}
