/**
 * The benchmarks' harness: every figure is measured beside a baseline in the same run, because
 * the machine is shared and its speed drifts.
 *
 *   const target = await prepareTarget('campus');            // private schema, stream, prefix; target.env for the service
 *   const service = await startService('campus-card', { env: { ...target.env, MY_KEY: '…' } });
 *   const baseline = await startBaseline('tools/bench/campus/baseline-server.js', { env: {…} }); // prints `ready`, reads PORT
 *   const { service: s, baseline: b } = await compare({
 *     service, baseline, seconds: 10,                           // split over 3 alternating rounds
 *     load: (url, side) => ({ connections: 20, requests: [{ path: '/v1/…', body: '{"n":{{seq}}}' }] }), // rate: 5000 for a fixed rate
 *   });
 *   logCompared('service', s); logCompared('baseline', b);
 *   report.add({ figure: '…', service: describeLoad(s.load), baseline: describeLoad(b.load), target: '≥ 1,000 req/s', ok: s.load.rps >= 1000 });
 *   report.print(); await service.stop(); await baseline.stop(); await target.cleanup();
 *
 * - runLoad(spec): autocannon in its own process, closed loop or at `rate` per second (corrected
 *   for coordinated omission); `{{time}}` and `{{seq}}` in bodies make every send a new event.
 *   pool(results) merges results (autocannon pools the histograms). Latencies are whole ms.
 * - alternate(rounds, service, baseline): any load (a scenario of your own, say) in alternating
 *   slices, with CPU per answer (process, request thread, Postgres, NATS) from CpuMeter.
 * - peakRss(pid), rssMb(pid), withClient(url, fn), log, fmt, wholeMs, machine().
 */
export * from './alternate';
export * from './cpu';
export * from './load';
export * from './processes';
export * from './report';
export * from './target';
