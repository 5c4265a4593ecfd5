// `npm run bench:issuance`: N concurrent kiosks personalising cards end to end against a
// card-issuance this script starts itself (local Postgres database onecard_bench, its own schema,
// its own JetStream stream and subject prefix), for a bounded time. Prints cards/s and p50/p99
// per round trip beside a BASELINE measured in the same run: the same signed round trips to
// machineDetail (signature check, nonce claim, one primary-key read; no personalisation work).
//
// Two load shapes, each with its baseline:
// - closed loop: every kiosk sends its next request the moment the last answer arrives (no card
//   time, no printing): the service's capacity; latency there is queueing (Little's law).
// - paced: a kiosk spends BENCH_APDU_MS of card time per APDU before reporting, and
//   BENCH_CARD_GAP_MS printing between cards; the baseline is paced to the same request rate.
//
// Environment: BENCH_KIOSKS (50), BENCH_SECONDS (20, paced), BENCH_CLOSED_SECONDS (15),
// BENCH_BASELINE_SECONDS (8), BENCH_APDU_MS (40), BENCH_CARD_GAP_MS (2000),
// BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/onecard_bench), NATS_URL,
// BENCH_DB_POOL_SIZE (service DB_POOL_SIZE, 20), CARD_ALGORITHM (3DES); diagnostics:
// BENCH_NODE_ARGS (e.g. --cpu-prof, passed to the service's node), BENCH_SERVICE_LOG=<file>
// (everything the service prints), BENCH_DEBUG=1 (the service's GC and event-loop metrics).
// Orders are seeded by SQL and pre-redeemed (see issuance/fixtures.ts); openCardUserDetail, one
// scrypt each, is measured on its own at the end.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ensureDatabase, hashSecret } from '@onecard/platform';
import { adminCall, closeConnections } from '../sim/kiosk/signed-client';
import { cardIssuedOnStream, countFinished, deleteStream, dropSchema, seedOrders } from './issuance/fixtures';
import { KioskSpec, PhaseRequest, PhaseResult, WorkerInput } from './issuance/protocol';
import { freePort } from '../common/local';
import { ServiceProcess } from './issuance/service';
import { routeBuckets, shareOver } from './issuance/server-metrics';
import { ms, row, summarise } from './issuance/stats';

const ROOT = resolve(__dirname, '..', '..', '..');
const num = (name: string, fallback: number) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : fallback);
const KIOSKS = num('BENCH_KIOSKS', 50);
const PACED_SECONDS = num('BENCH_SECONDS', 20);
const CLOSED_SECONDS = num('BENCH_CLOSED_SECONDS', 15);
const BASELINE_SECONDS = num('BENCH_BASELINE_SECONDS', 8);
const APDU_MS = num('BENCH_APDU_MS', 40);
const CARD_GAP_MS = num('BENCH_CARD_GAP_MS', 2000);
const WARMUP_SECONDS = 3;
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/onecard_bench';
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const POOL = process.env.BENCH_DB_POOL_SIZE || '20';
const ALGORITHM = (process.env.CARD_ALGORITHM as '3DES' | 'SM4') || '3DES';
/** Orders seeded per kiosk: more than this machine can personalise in the run. */
const ORDERS_PER_KIOSK = 600;
const TARGET_P99_MS = 20;
/** Slices per load shape (load and baseline alternate). */
const ROUNDS = 2;

const run = randomBytes(3).toString('hex');
const bench = { databaseUrl: DATABASE_URL, schema: 'card_issuance_bench', natsUrl: NATS_URL, stream: `ONECARD_BENCH_${run.toUpperCase()}`, prefix: `bench${run}.` };

const say = (line = '') => process.stdout.write(`${line}\n`);

function kioskSpecs(machines: Array<{ machineNo: string; secret: string }>, pickupCode: string): KioskSpec[] {
  const n = machines.length * ORDERS_PER_KIOSK;
  return machines.map((m, i) => ({
    ...m,
    orders: Array.from({ length: ORDERS_PER_KIOSK }, (_, j) => {
      const g = i + 1 + j * machines.length;
      return { orderId: `B${String(g).padStart(9, '0')}`, userId: `BU${g}` };
    }),
    pickup: { phoneNumber: `1${String(n + i + 1).padStart(10, '0')}`, pickupCode },
  }));
}

type Measured = PhaseResult & { cpu: { service: number; postgres: number; bench: number } };

function merge(parts: Measured[]): Measured {
  const samples: Record<string, number[]> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.samples)) (samples[k] ??= []).push(...v);
  const sum = (f: (m: Measured) => number) => parts.reduce((n, m) => n + f(m), 0);
  return {
    phase: parts[0].phase,
    elapsedMs: sum((m) => m.elapsedMs),
    samples,
    cards: sum((m) => m.cards),
    errors: sum((m) => m.errors),
    firstError: parts.find((m) => m.firstError)?.firstError,
    cpu: { service: sum((m) => m.cpu.service), postgres: sum((m) => m.cpu.postgres), bench: sum((m) => m.cpu.bench) },
  };
}

const WIDTHS = [46, 9, 8, 8, 8, 8, 7];

function line(label: string, samples: number[], elapsedMs: number, errors: number | string) {
  const s = summarise(samples);
  say(row([label, s.count, (s.count / (elapsedMs / 1000)).toFixed(0), ms(s.p50), ms(s.p99), ms(s.max), errors], WIDTHS));
  return s;
}

function cpuLine(label: string, m: Measured, requests: number) {
  const per = (seconds: number) => `${((seconds * 1000) / Math.max(requests, 1)).toFixed(2)} ms`;
  const pct = (seconds: number) => `${Math.round((seconds / (m.elapsedMs / 1000)) * 100)}%`;
  say(`    CPU during ${label}: service ${pct(m.cpu.service)} (${per(m.cpu.service)}/request), postgres ${m.cpu.postgres >= 0 ? `${pct(m.cpu.postgres)} (${per(m.cpu.postgres)})` : "n/a (other clients came and went)"}, load generator ${pct(m.cpu.bench)} (${per(m.cpu.bench)})`);
}

/** Prints one load shape: its baseline, its personalisation round trips, cards/s; returns the overall p99. */
function report(title: string, baseline: Measured, load: Measured): { p99: number; baseP99: number } {
  say();
  say(title);
  say(row(['round trip', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'], WIDTHS));
  const base = line('BASELINE signed GET machineDetail', baseline.samples.machineDetail ?? [], baseline.elapsedMs, baseline.errors);
  const all = ['getOpenCardApdu', 'apduExeResult', 'finish'].flatMap((n) => load.samples[n] ?? []);
  const total = line('personalisation, every round trip', all, load.elapsedMs, load.errors);
  for (const name of ['getOpenCardApdu', 'apduExeResult', 'finish']) line(`  ${name}`, load.samples[name] ?? [], load.elapsedMs, '');
  say(`  cards personalised and finished: ${load.cards} in ${(load.elapsedMs / 1000).toFixed(1)} s = ${(load.cards / (load.elapsedMs / 1000)).toFixed(1)} cards/s (${(all.length / Math.max(load.cards, 1)).toFixed(1)} round trips per card)`);
  cpuLine('baseline', baseline, base.count);
  cpuLine('personalisation', load, all.length);
  for (const m of [baseline, load]) if (m.firstError) say(`  first error (${m.phase}): ${m.firstError}`);
  return { p99: total.p99, baseP99: base.p99 };
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await dropSchema(bench);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminToken = randomBytes(24).toString('base64url');
  const masterKeyHex = randomBytes(16).toString('hex');
  const service = new ServiceProcess(ROOT, {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL,
    DB_SCHEMA: bench.schema,
    DB_POOL_SIZE: POOL,
    NATS_URL,
    NATS_STREAM: bench.stream,
    NATS_SUBJECT_PREFIX: bench.prefix,
    ADMIN_TOKEN: adminToken,
    MACHINE_SECRET_KEY: randomBytes(32).toString('hex'),
    CARD_MASTER_KEYS: `bench:${masterKeyHex}`,
    CARD_ALGORITHM: ALGORITHM,
    LOG_LEVEL: 'warn',
  });
  let worker: Worker | undefined;
  try {
    await service.waitHealthy(url);
    const machines: Array<{ machineNo: string; secret: string }> = [];
    for (let i = 1; i <= KIOSKS; i++) {
      const res = await adminCall(url, adminToken, 'POST', '/admin/machines', { machineNo: `BK-${String(i).padStart(3, '0')}`, projectId: 'bench', address: 'bench' });
      if (res.body?.code !== 0) throw new Error(`POST /admin/machines: ${res.text}`);
      machines.push(res.body.data);
    }
    const pickupCode = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000));
    await seedOrders(bench, machines.map((m) => m.machineNo), ORDERS_PER_KIOSK, await hashSecret(pickupCode));

    const input: WorkerInput = { baseUrl: url, kiosks: kioskSpecs(machines, pickupCode), masterKeyHex, algorithm: ALGORITHM };
    worker = new Worker(join(__dirname, 'issuance', 'load-worker.js'), { workerData: input });
    const w = worker;
    const phase = (request: PhaseRequest) =>
      new Promise<Measured>((resolvePhase, reject) => {
        const before = { service: service.cpuSeconds(), postgres: ServiceProcess.postgresCpuSeconds(), bench: process.cpuUsage() };
        w.once('message', (r: PhaseResult) => {
          const benchCpu = process.cpuUsage(before.bench);
          resolvePhase({
            ...r,
            cpu: { service: service.cpuSeconds() - before.service, postgres: ServiceProcess.postgresCpuSeconds() - before.postgres, bench: (benchCpu.user + benchCpu.system) / 1e6 },
          });
        });
        w.once('error', reject);
        w.postMessage(request);
      });

    say(`card-issuance benchmark: ${KIOSKS} concurrent kiosks over 127.0.0.1, ${cpus().length} CPU(s) shared by the service, Postgres and this load generator`);
    say(`service pid ${service.pid}, NODE_ENV=production, DB_POOL_SIZE=${POOL}, ${ALGORITHM} cards; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const [finishedBefore] = [await countFinished(bench)];
    // Load and baseline alternate in ROUNDS slices each, so whatever else runs on the machine weighs on both alike.
    const alternate = async (load: PhaseRequest, base: (loadSlice: Measured) => PhaseRequest): Promise<[Measured, Measured]> => {
      const loads: Measured[] = [];
      const bases: Measured[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        loads.push(await phase({ ...load, seconds: load.seconds / ROUNDS }));
        const b = base(loads[loads.length - 1]);
        bases.push(await phase({ ...b, seconds: b.seconds / ROUNDS }));
      }
      return [merge(bases), merge(loads)];
    };
    const roundTrips = (m: PhaseResult) => ['getOpenCardApdu', 'apduExeResult', 'finish'].reduce((n, k) => n + (m.samples[k]?.length ?? 0), 0);
    await phase({ phase: 'warmup', seconds: WARMUP_SECONDS });
    const [closedBase, closed] = await alternate({ phase: 'personalise', seconds: CLOSED_SECONDS }, () => ({ phase: 'baseline', seconds: BASELINE_SECONDS }));
    const serverBefore = await routeBuckets(url);
    const [pacedBase, paced] = await alternate({ phase: 'personalise', seconds: PACED_SECONDS, apduMs: APDU_MS, cardGapMs: CARD_GAP_MS }, (slice) => ({
      phase: 'baseline',
      seconds: BASELINE_SECONDS,
      // Each baseline kiosk calls as often as a paced kiosk did in the slice before.
      callGapMs: Math.round((1000 * KIOSKS) / Math.max(roundTrips(slice) / (slice.elapsedMs / 1000), 1)),
    }));
    const serverAfter = await routeBuckets(url);
    if (process.env.BENCH_DEBUG) {
      const text = await fetch(`${url}/metrics`).then((r) => r.text());
      say(text.split('\n').filter((l) => /^nodejs_(gc_duration_seconds_(sum|count)|eventloop_lag_(max|p99|p90)_seconds)/.test(l)).join('\n'));
    }
    const pacedRatePerKiosk = roundTrips(paced) / (paced.elapsedMs / 1000) / KIOSKS;
    const pickup = await phase({ phase: 'pickup', seconds: 0 });

    const c = report(`CLOSED LOOP (capacity): each kiosk sends its next request as soon as the answer arrives; ${CLOSED_SECONDS} s, baseline ${BASELINE_SECONDS} s, alternating in ${ROUNDS} slices`, closedBase, closed);
    const p = report(
      `PACED: ${APDU_MS} ms of card time per APDU, ${CARD_GAP_MS} ms printing between cards; ${PACED_SECONDS} s; baseline paced to the same ~${(pacedRatePerKiosk * KIOSKS).toFixed(0)} req/s; ${ROUNDS} slices`,
      pacedBase,
      paced,
    );
    const over = shareOver(serverBefore, serverAfter, 25);
    say(`  server-side (Fastify's own timing), paced phase, share over 25 ms: ${over.map((r) => `${r.route} ${(r.over * 100).toFixed(2)}% of ${r.count}`).join(', ')}`);
    say();
    line(`openCardUserDetail (one scrypt), ${KIOSKS} at once`, pickup.samples.openCardUserDetail ?? [], pickup.elapsedMs, pickup.errors);

    const finished = (await countFinished(bench)) - finishedBefore;
    let onStream = 0;
    for (let i = 0; i < 100 && onStream < finished; i++) {
      onStream = await cardIssuedOnStream(bench);
      if (onStream < finished) await new Promise((r) => setTimeout(r, 100));
    }
    say(`orders FINISHED (warm-up included): ${finished}; card.issued on the stream: ${onStream}${onStream === finished ? ' (one each)' : ' (MISMATCH)'}`);
    const verdict = (p99: number) => (p99 < TARGET_P99_MS ? 'met' : 'NOT met');
    say(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (anything else running on these ${cpus().length} CPUs weighs on every figure above)`);
    say(`target p99 < ${TARGET_P99_MS} ms per round trip at ${KIOSKS} kiosks: paced ${verdict(p.p99)} (p99 ${ms(p.p99)} ms, baseline ${ms(p.baseP99)} ms); closed loop ${verdict(c.p99)} (p99 ${ms(c.p99)} ms, baseline ${ms(c.baseP99)} ms)`);
  } catch (error) {
    process.stderr.write(`bench:issuance failed: ${(error as Error).message}\nservice's last lines:\n${service.lastLines()}\n`);
    process.exitCode = 1;
  } finally {
    await worker?.terminate();
    closeConnections();
    await service.stop();
    await deleteStream(bench);
    await dropSchema(bench).catch(() => undefined);
  }
}

void main();
