// The location_report figure: heartbeats from every bench device as fast as answers come back,
// counted as persisted only once their rows are in the history table, beside the bare-Fastify
// baseline doing the same batched INSERT, in alternating slices of the same run.
import { Context, describeLoad, fmt, log, rows } from './context';
import { countHeartbeats, heartbeatRequests, heartbeatTemplates, nextTapStart, pendingHeartbeats } from './fixtures';
import { load, LoadResult, sleep } from './load';
import { alternate, ROUNDS, sliceSeconds } from './alternate';
import { wrkAvailable, wrkTaps } from './wrk';

export async function heartbeatFigure(ctx: Context): Promise<void> {
  const wrk = wrkAvailable();
  const slice = sliceSeconds(ctx.seconds);
  const reports = (url: string, prefix: string): Promise<LoadResult> =>
    wrk
      ? wrkTaps(url, heartbeatTemplates(ctx.devices, prefix), nextTapStart(), slice, ctx.connections, '/location_report')
      : load(url, heartbeatRequests(ctx.devices, prefix), slice, ctx.connections);

  const before = await countHeartbeats(ctx.schemaUrl, 'BENCH-');
  const baseBefore = await countHeartbeats(ctx.schemaUrl, 'BASE-');
  let drainMs = 0;
  const { service, baseline } = await alternate(
    ROUNDS,
    {
      pid: ctx.service.pid,
      run: () => reports(ctx.url, ''),
      // Settled once every answered report is written, so the rows counted are the rows persisted.
      settle: async () => {
        const started = Date.now();
        while ((await pendingHeartbeats(ctx.url)) !== 0 && Date.now() - started < 30_000) await sleep(50);
        drainMs = Math.max(drainMs, Date.now() - started);
      },
    },
    { pid: ctx.basePid!, run: () => reports(ctx.baseUrl!, 'BASE-'), settle: async () => void (await fetch(`${ctx.baseUrl}/flush`, { method: 'POST' })) },
  );
  const svc = service.load;
  const base = baseline.load;
  const persisted = (await countHeartbeats(ctx.schemaUrl, 'BENCH-')) - before;
  const basePersisted = (await countHeartbeats(ctx.schemaUrl, 'BASE-')) - baseBefore;
  // The load generator stops counting with requests still in flight, so a few more rows than counted answers is expected.
  log(`location_report service:  ${describeLoad(svc)}; ${fmt(persisted)} rows for ${fmt(svc.responses)} counted answers (queue drained at most ${drainMs} ms after a slice)`);
  log(`location_report baseline: ${describeLoad(base)}; ${fmt(basePersisted)} rows for ${fmt(base.responses)} counted answers`);
  log(`location_report CPU per answer: service ${fmt(service.processUs)} µs (request thread ${fmt(service.threadUs)} µs, whole machine ${fmt(service.machineUs)} µs: Postgres ${fmt(service.postgresUs)}, NATS ${fmt(service.natsUs)}), baseline ${fmt(baseline.processUs)} µs (request thread ${fmt(baseline.threadUs)} µs, whole machine ${fmt(baseline.machineUs)} µs: Postgres ${fmt(baseline.postgresUs)}, NATS ${fmt(baseline.natsUs)})`);
  const rate = persisted / svc.seconds;
  rows.push({
    figure: 'location_report, persisted',
    service: `${fmt(rate)} /s persisted (${fmt(persisted)} rows/${fmt(svc.responses)} answers), p99 ${fmt(svc.p99, 1)} ms, ${fmt(service.processUs)} µs CPU each (${fmt(service.threadUs)} on the request thread)`,
    baseline: `${fmt(basePersisted / base.seconds)} /s persisted, p99 ${fmt(base.p99, 1)} ms, ${fmt(baseline.processUs)} µs CPU each (${fmt(baseline.threadUs)} on the request thread)`,
    target: '≥ 5,000 /s, all persisted',
    ok: rate >= 5000 && persisted >= svc.responses,
  });
}
