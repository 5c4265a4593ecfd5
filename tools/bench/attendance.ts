// npm run bench:attendance — attendance terminals uploading recognition records to a
// wage-attendance started from dist/ (tools/bench/common: private schema, stream and prefix), each
// record called back to a fake supervision platform (its own process). Figures: records ingested
// per second with their callbacks delivered (the clock stops when the last callback of a slice
// arrives), callback lag (record signed → callback received), every callback once and in order
// per terminal. Beside a BASELINE in the same run, slices alternating: a bare Fastify that checks
// the same signature, stores each record with one INSERT and forwards it at once, fire and forget
// (no judgement, outbox, durable queue, order per terminal or retry).
//
// The terminals sign every request (a fresh nonce each), so they are a scenario in a worker
// thread (attendance/load-worker.ts: autocannon, one connection per terminal, closed loop).
// Environment: BENCH_TERMINALS (40), BENCH_SECONDS (20 per side, in 2 slices), BENCH_DB_POOL_SIZE
// (20), BENCH_CALLBACK_LANES (2), BENCH_NODE_ARGS, BENCH_DATABASE_URL, NATS_URL; --keep.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { alternate, describeCpu, fmt, log, machine, prepareTarget, Proc, Report, SideResult, startBaseline, startService, withClient } from './common';
import type { LoadResult, Terminal } from './attendance/load';
import type { SliceRequest } from './attendance/load-worker';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const TERMINALS = num('BENCH_TERMINALS', 40);
const SECONDS = num('BENCH_SECONDS', 20);
const ROUNDS = 2;
const TARGET_RATE = 2000;
const TARGET_LAG_MS = 1000;
const PLATFORM_TOKEN = randomBytes(24).toString('base64url');

/** What the fake platform saw of one slice's label. */
interface Delivered {
  count: number;
  repeats: number;
  outOfOrder: number;
  p50: number;
  p99: number;
  max: number;
  lastAt: number;
}

type Slice = LoadResult & { responses: number; stored: number; delivered: Delivered; spanMs: number; commits: number };

async function platformCall(url: string, path: string, body: object): Promise<any> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${PLATFORM_TOKEN}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as { success: boolean; result: any };
  if (!json.success) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json.result;
}

async function registerTerminals(url: string): Promise<Terminal[]> {
  const terminals: Terminal[] = [];
  for (let i = 0; i < TERMINALS; i++) {
    const deviceKey = `BENCH-${String(i).padStart(3, '0')}`;
    const { secret } = await platformCall(url, '/device/create', { deviceKey, deviceName: `闸机${i}` });
    const { guid } = await platformCall(url, '/person/create', { cardNo: `B${String(i).padStart(8, '0')}`, name: `工人${i}` });
    await platformCall(url, '/person/authorize', { guids: guid, permission: 1, deviceKey });
    terminals.push({ deviceKey, secret, personGuid: guid });
  }
  return terminals;
}

/** Pooled figures of one side's slices. */
function totals(side: SideResult<Slice>) {
  const s = side.slices;
  const sum = (f: (x: Slice) => number) => s.reduce((n, x) => n + f(x), 0);
  const stored = sum((x) => x.stored);
  const delivered = sum((x) => x.delivered.count);
  return {
    answered: sum((x) => x.responses) / sum((x) => x.seconds),
    deliveredRate: delivered / (sum((x) => x.spanMs) / 1000),
    stored,
    delivered,
    repeats: sum((x) => x.delivered.repeats),
    commitsPerRecord: sum((x) => x.commits) / Math.max(stored, 1),
    outOfOrder: sum((x) => x.delivered.outOfOrder),
    failed: sum((x) => x.failed),
    firstError: s.find((x) => x.firstError)?.firstError,
    answerP99: Math.max(...s.map((x) => x.latencyP99)),
    lagP50: Math.max(...s.map((x) => x.delivered.p50)),
    lagP99: Math.max(...s.map((x) => x.delivered.p99)),
    lagMax: Math.max(...s.map((x) => x.delivered.max)),
  };
}

async function main(): Promise<void> {
  const target = await prepareTarget('wage');
  let platform: Proc | undefined;
  let service: Proc | undefined;
  let baseline: Proc | undefined;
  let worker: Worker | undefined;
  try {
    platform = await startBaseline('tools/bench/attendance/fake-platform.js', { env: {} });
    service = await startService('wage-attendance', {
      env: {
        ...target.env, DB_POOL_SIZE: String(num('BENCH_DB_POOL_SIZE', 20)), CALLBACK_LANES: String(num('BENCH_CALLBACK_LANES', 2)), PLATFORM_TOKEN,
        CALLBACK_SECRET: randomBytes(24).toString('hex'), TERMINAL_SECRET_KEY: randomBytes(32).toString('hex'), SUPERVISION_CALLBACK_URL: platform.url,
      },
    });
    const terminals = await registerTerminals(service.url);
    baseline = await startBaseline('tools/bench/attendance/baseline-server.js', {
      env: { DATABASE_URL: target.databaseUrl, DB_SCHEMA: target.schema, SUPERVISION_CALLBACK_URL: platform.url, BASELINE_SECRETS: JSON.stringify(terminals.map((t) => [t.deviceKey, t.secret])) },
    });
    log(`wage-attendance benchmark: ${TERMINALS} terminals (one connection each, closed loop), ${machine()}; service pid ${service.pid}, baseline pid ${baseline.pid}`);
    const w = (worker = new Worker(join(__dirname, 'attendance', 'load-worker.js')));
    const load = (request: SliceRequest) =>
      new Promise<LoadResult>((resolve, reject) => {
        w.once('message', (r: LoadResult | { error: string }) => ('error' in r ? reject(new Error(r.error)) : resolve(r)));
        w.once('error', reject);
        w.postMessage(request);
      });
    let sliceNo = 0;
    /** One slice on `proc`, then (settle) until the platform has the callback of every record stored. */
    const side = (proc: Proc, table: string) => ({
      pid: proc.pid,
      run: async (): Promise<Slice> => {
        const label = `s${sliceNo++}`;
        const commits = () => withClient(target.databaseUrl, async (c) => Number((await c.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0].xact_commit));
        const commitsBefore = await commits();
        const started = Date.now();
        const result = await load({ url: proc.url, terminals, label, seconds: SECONDS / ROUNDS });
        // Records in flight when the load stopped are stored after their answer went uncounted.
        await new Promise((r) => setTimeout(r, 300));
        const stored: number = await withClient(target.schemaUrl, async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${table} WHERE guid LIKE $1`, [`${label}-%`])).rows[0].n);
        let delivered = (await (await fetch(`${platform!.url}/stats/${label}`)).json()) as Delivered;
        for (let i = 0; i < 600 && delivered.count < stored; i++) {
          await new Promise((r) => setTimeout(r, 100));
          delivered = (await (await fetch(`${platform!.url}/stats/${label}`)).json()) as Delivered;
        }
        // Statistics reach pg_stat_database within a second or so (and count this bench's own queries too).
        await new Promise((r) => setTimeout(r, 1000));
        return { ...result, responses: result.accepted, stored, delivered, spanMs: Math.max(delivered.lastAt, started + result.seconds * 1000) - started, commits: (await commits()) - commitsBefore };
      },
    });
    await side(service, 'recognition').run();
    await side(baseline, 'recognition_baseline').run();
    const { service: s, baseline: b } = await alternate<Slice>(ROUNDS, side(service, 'recognition'), side(baseline, 'recognition_baseline'));
    const [ts, tb] = [totals(s), totals(b)];
    for (const [name, t, cpu] of [['service', ts, s.cpu], ['baseline', tb, b.cpu]] as const) {
      log(`${name}: ${fmt(t.answered)} records/s answered, ${fmt(t.deliveredRate)}/s with callbacks delivered; answer p99 ${fmt(t.answerP99)} ms; lag p50 ${fmt(t.lagP50)} ms, p99 ${fmt(t.lagP99)} ms, max ${fmt(t.lagMax)} ms`);
      log(`  ${t.stored} stored, ${t.delivered} called back, ${t.repeats} repeats, ${t.outOfOrder} out of order${t.failed ? `; ${t.failed} FAILED, first: ${t.firstError}` : ''}; ${describeCpu(cpu)}; ${fmt(t.commitsPerRecord, 2)} Postgres transactions per record`);
    }
    const report = new Report();
    report.add({
      figure: `identify records with callbacks delivered, ${TERMINALS} terminals closed loop`,
      service: `${fmt(ts.deliveredRate)}/s; ${describeCpu(s.cpu)}`,
      baseline: `${fmt(tb.deliveredRate)}/s; ${describeCpu(b.cpu)}`,
      target: `≥ ${fmt(TARGET_RATE)}/s`,
      ok: ts.deliveredRate >= TARGET_RATE,
    });
    report.add({ figure: 'callback lag, record signed → callback received (platform up)', service: `p50 ${fmt(ts.lagP50)} ms, p99 ${fmt(ts.lagP99)} ms`, baseline: `p50 ${fmt(tb.lagP50)} ms, p99 ${fmt(tb.lagP99)} ms`, target: `p99 < ${fmt(TARGET_LAG_MS)} ms`, ok: ts.lagP99 < TARGET_LAG_MS });
    const once = ts.repeats === 0 && ts.outOfOrder === 0 && ts.delivered === ts.stored && ts.failed === 0;
    report.add({ figure: 'every record stored called back once, in order per terminal', service: `${ts.stored} stored, ${ts.delivered} called back, ${ts.repeats} repeats, ${ts.outOfOrder} out of order`, baseline: `${tb.stored} stored, ${tb.delivered} forwarded (no order kept)`, target: 'all, once, in order', ok: once });
    report.print();
  } catch (error) {
    process.stderr.write(`bench:attendance failed: ${(error as Error).message}\nservice's last lines:\n${service?.lastLines() ?? ''}\n`);
    process.exitCode = 1;
  } finally {
    await worker?.terminate();
    await Promise.all([service?.stop(), baseline?.stop(), platform?.stop()]);
    await target.cleanup();
  }
}

void main();
