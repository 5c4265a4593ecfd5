// The location_report figure: heartbeats from every bench device as fast as answers come back,
// counted as persisted only once their rows are in the history table, beside the bare-Fastify
// baseline doing the same batched INSERT in the same run.
import { Context, describeLoad, fmt, log, rows } from './context';
import { countHeartbeats, heartbeatRequests, heartbeatTemplates, nextTapStart, pendingHeartbeats } from './fixtures';
import { load, LoadResult, sleep } from './load';
import { cpuWindow } from './processes';
import { wrkAvailable, wrkTaps } from './wrk';

export async function heartbeatFigure(ctx: Context): Promise<void> {
  const wrk = wrkAvailable();
  const reports = (url: string, prefix: string): Promise<LoadResult> =>
    wrk
      ? wrkTaps(url, heartbeatTemplates(ctx.devices, prefix), nextTapStart(), ctx.seconds, ctx.connections, '/location_report')
      : load(url, heartbeatRequests(ctx.devices, prefix), ctx.seconds, ctx.connections);

  const before = await countHeartbeats(ctx.schemaUrl, 'BENCH-');
  const svcCpu = cpuWindow(ctx.service.pid);
  const svc = await reports(ctx.url, '');
  const drainStarted = Date.now();
  while ((await pendingHeartbeats(ctx.url)) !== 0 && Date.now() - drainStarted < 30_000) await sleep(50);
  const drainMs = Date.now() - drainStarted;
  const svcCost = svcCpu.perAnswer(svc.responses);
  const persisted = (await countHeartbeats(ctx.schemaUrl, 'BENCH-')) - before;
  // The load generator stops counting with requests still in flight, so a few more rows than counted answers is expected.
  log(`location_report service:  ${describeLoad(svc)}; ${fmt(persisted)} rows for ${fmt(svc.responses)} counted answers (queue drained ${drainMs} ms after the load)`);
  const baseCpu = cpuWindow(ctx.basePid!);
  const base = await reports(ctx.baseUrl!, 'BASE-');
  await fetch(`${ctx.baseUrl}/flush`, { method: 'POST' });
  const baseCost = baseCpu.perAnswer(base.responses);
  const basePersisted = await countHeartbeats(ctx.schemaUrl, 'BASE-');
  log(`location_report baseline: ${describeLoad(base)}; ${fmt(basePersisted)} rows for ${fmt(base.responses)} counted answers`);
  log(`location_report CPU per answer: service ${fmt(svcCost.process)} µs (whole machine ${fmt(svcCost.machine)} µs), baseline ${fmt(baseCost.process)} µs (whole machine ${fmt(baseCost.machine)} µs)`);
  const rate = persisted / svc.seconds;
  rows.push({
    figure: 'location_report, persisted',
    service: `${fmt(rate)} /s persisted (${fmt(persisted)} rows/${fmt(svc.responses)} answers), p99 ${fmt(svc.p99, 1)} ms, ${fmt(svcCost.process)} µs CPU each`,
    baseline: `${fmt(basePersisted / base.seconds)} /s persisted, p99 ${fmt(base.p99, 1)} ms, ${fmt(baseCost.process)} µs CPU each`,
    target: '≥ 5,000 /s, all persisted',
    ok: rate >= 5000 && persisted >= svc.responses,
  });
}
