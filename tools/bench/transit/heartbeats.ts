// location_report: heartbeats from every bench device as fast as answers come back, counted as
// persisted only once their rows are in the history table, beside the bare-Fastify baseline
// doing the same batched INSERT.
import { compare, describeCpu, fmt, log, logCompared, Proc, Report, wholeMs } from '../common';
import { countRows, drainHeartbeats, heartbeatRequests, Transit } from './fixtures';

export async function heartbeatFigure(t: Transit, baseline: Proc, report: Report, seconds: number): Promise<void> {
  const rows = (prefix: string) => countRows(t.target, `SELECT count(*) AS n FROM location_report WHERE device_id LIKE $1`, [`${prefix}%`]);
  const [before, baseBefore] = [await rows('BENCH-'), await rows('BASE-')];
  const { service: s, baseline: b } = await compare({
    // Each slice settles once every answered report is written, so the rows counted are the rows persisted.
    service: { ...t.service, settle: () => drainHeartbeats(t) },
    baseline: { ...baseline, settle: async () => void (await fetch(`${baseline.url}/flush`, { method: 'POST' })) },
    seconds,
    load: (_url, side) => ({ requests: heartbeatRequests(t.devices, side === 'service' ? '' : 'BASE-'), connections: 20 }),
  });
  const persisted = (await rows('BENCH-')) - before;
  const basePersisted = (await rows('BASE-')) - baseBefore;
  logCompared('location_report, service', s);
  logCompared('location_report, baseline', b);
  // autocannon stops counting with requests still in flight: a few more rows than counted answers is expected.
  log(`  rows: service ${fmt(persisted)} for ${fmt(s.load.responses)} counted answers, baseline ${fmt(basePersisted)} for ${fmt(b.load.responses)}`);
  const rate = persisted / s.load.seconds;
  report.add({
    figure: 'location_report, every one persisted',
    service: `${fmt(rate)} /s persisted, p99 ${wholeMs(s.load.p99)}, ${describeCpu(s.cpu)}`,
    baseline: `${fmt(basePersisted / b.load.seconds)} /s, p99 ${wholeMs(b.load.p99)}, ${describeCpu(b.cpu)}`,
    target: '≥ 5,000 /s, all persisted',
    ok: rate >= 5000 && persisted >= s.load.responses,
  });
}
