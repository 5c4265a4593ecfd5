// Open-loop load at a fixed rate: requests are sent on a schedule (rate × elapsed time), whatever
// the answers are doing, and each latency is measured from its send. This is how validators load
// the server (each bus taps on its own clock), and unlike a closed loop it tells latency at a
// given rate rather than latency at saturation. node:http with keep-alive; the generator's own
// cost is bounded by the rate.
import { Agent, request } from 'node:http';
import type { LoadResult } from './load';
import { percentile } from './load';

export async function paced(baseUrl: string, path: string, nextBody: () => string, rate: number, seconds: number, maxSockets = 64): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let inFlight = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const body = nextBody();
      const started = process.hrtime.bigint();
      inFlight++;
      const req = request(
        { agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.once('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            if (res.statusCode !== 200) non2xx++;
            inFlight--;
            resolve();
          });
        },
      );
      req.once('error', () => {
        errors++;
        inFlight--;
        resolve();
      });
      req.end(body);
    });

  const pending: Array<Promise<void>> = [];
  const begin = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const elapsed = (performance.now() - begin) / 1000;
      if (elapsed >= seconds) return done();
      const due = Math.floor(elapsed * rate);
      // A generator that has fallen far behind (the machine is saturated) says so by its rate.
      while (sent < due && inFlight < maxSockets * 4) {
        pending.push(send());
        sent++;
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  const elapsed = (performance.now() - begin) / 1000;
  await Promise.all(pending);
  agent.destroy();
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    responses: latencies.length,
    errors,
    non2xx,
    seconds: elapsed,
  };
}
