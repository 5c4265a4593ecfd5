// npm run bench:issuance — 50 kiosks personalising cards end to end (getOpenCardApdu, APDU
// batches run on virtual cards, finish) against a card-issuance started from dist/, beside a
// BASELINE in the same run: the same signed round trips to machineDetail (signature check, nonce
// claim, one primary-key read; no personalisation work), alternating with the load.
//
// - closed loop: each kiosk sends its next request the moment the last answer arrives (no card
//   time): the service's capacity; latency there is queueing.
// - paced: a kiosk spends BENCH_APDU_MS of card time per APDU and BENCH_CARD_GAP_MS printing
//   between cards; the baseline is paced to the same request rate.
// - morning burst: every kiosk starts at once from the pickup code (openCardUserDetail, an HMAC
//   check), then the card, BENCH_STEP_MS between any two of its calls (about 10 cards/s from 50
//   kiosks); the baseline kiosks also start at once, a signed machineDetail every BENCH_STEP_MS.
//
// The kiosks are a scenario, not a request list, so they run in a worker thread
// (issuance/load-worker.ts: one request in flight per kiosk) rather than in autocannon.
// Environment: BENCH_KIOSKS (50), BENCH_SECONDS (20, paced), BENCH_CLOSED_SECONDS (15),
// BENCH_BASELINE_SECONDS (8), BENCH_APDU_MS (40), BENCH_CARD_GAP_MS (2000), BENCH_BURST_SECONDS
// (12), BENCH_STEP_MS (300), BENCH_DB_POOL_SIZE (20), CARD_ALGORITHM (3DES), BENCH_NODE_ARGS,
// BENCH_DATABASE_URL, NATS_URL, BENCH_PHASES (closed,paced,burst: a comma list of the figures to
// measure; `BENCH_PHASES=burst` runs the morning burst alone). BENCH_PICKUP_SCRYPT=1 seeds the burst's codes as the scrypt hashes
// of before PICKUP_CODE_KEY (still accepted, re-hashed when redeemed): the burst as it was.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { adminCall, closeConnections } from '../sim/kiosk/signed-client';
import { alternate, describeCpu, fmt, log, machine, prepareTarget, Proc, Report, SideResult, startService } from './common';
import { cardIssuedOnStream, countFinished, createPickupOrders, seedOrders } from './issuance/fixtures';
import { PhaseRequest, PhaseResult, WorkerInput } from './issuance/protocol';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const KIOSKS = num('BENCH_KIOSKS', 50);
const PACED_SECONDS = num('BENCH_SECONDS', 20);
const CLOSED_SECONDS = num('BENCH_CLOSED_SECONDS', 15);
const BASELINE_SECONDS = num('BENCH_BASELINE_SECONDS', 8);
const APDU_MS = num('BENCH_APDU_MS', 40);
const CARD_GAP_MS = num('BENCH_CARD_GAP_MS', 2000);
const BURST_SECONDS = num('BENCH_BURST_SECONDS', 12);
const STEP_MS = num('BENCH_STEP_MS', 300);
const SCRYPT_CODES = process.env.BENCH_PICKUP_SCRYPT === '1';
const PHASES = new Set((process.env.BENCH_PHASES ?? 'closed,paced,burst').split(',').map((p) => p.trim()));
for (const p of PHASES) if (!['closed', 'paced', 'burst'].includes(p)) throw new Error(`BENCH_PHASES: unknown figure ${p} (closed, paced, burst)`);
const ALGORITHM = (process.env.CARD_ALGORITHM as '3DES' | 'SM4') || '3DES';
/** Orders seeded per kiosk: more than this machine can personalise in the run. */
const ORDERS_PER_KIOSK = 600;
/** Orders waiting for a pickup code, per kiosk: more than the burst gets through. */
const PICKUPS_PER_KIOSK = 12;
const TARGET_P99_MS = 20;
const BURST_TARGET_P99_MS = 50;
const ROUNDS = 2;
const STEPS = ['getOpenCardApdu', 'apduExeResult', 'finish'];
const BURST_STEPS = ['openCardUserDetail', ...STEPS];

type Slice = PhaseResult & { responses: number };

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)] ?? NaN;
const ms = (n: number) => `${fmt(n, 1)} ms`;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Every round trip of a side's slices, by call. */
function samples(side: SideResult<Slice>, names: string[]): number[] {
  return side.slices.flatMap((s) => names.flatMap((n) => s.samples[n] ?? []));
}
const seconds = (side: SideResult<Slice>) => side.slices.reduce((sum, s) => sum + s.elapsedMs, 0) / 1000;
const cardsPerSecond = (side: SideResult<Slice>) => side.slices.reduce((sum, s) => sum + s.cards, 0) / seconds(side);

async function registerKiosks(service: Proc, adminToken: string): Promise<Array<{ machineNo: string; secret: string }>> {
  const machines = [];
  for (let i = 1; i <= KIOSKS; i++) {
    const res = await adminCall(service.url, adminToken, 'POST', '/admin/machines', { machineNo: `BK-${String(i).padStart(3, '0')}`, projectId: 'bench', address: 'bench' });
    if (res.body?.code !== 0) throw new Error(`POST /admin/machines: ${res.text}`);
    machines.push(res.body.data as { machineNo: string; secret: string });
  }
  return machines;
}

function logSide(title: string, load: SideResult<Slice>, baseline: SideResult<Slice>, steps = STEPS): void {
  const all = samples(load, steps);
  const base = samples(baseline, ['machineDetail']);
  const errors = [...load.slices, ...baseline.slices].filter((s) => s.errors > 0);
  log(title);
  log(`  personalisation: ${fmt(all.length / seconds(load))} round trips/s, p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}; ${fmt(cardsPerSecond(load), 1)} cards/s; ${describeCpu(load.cpu)}`);
  for (const step of steps) log(`    ${step}: mean ${ms(mean(samples(load, [step])))}, p50 ${ms(percentile(samples(load, [step]), 50))}, p99 ${ms(percentile(samples(load, [step]), 99))}`);
  log(`  baseline, signed GET machineDetail: ${fmt(base.length / seconds(baseline))} req/s, p50 ${ms(percentile(base, 50))}, p99 ${ms(percentile(base, 99))}; ${describeCpu(baseline.cpu)}`);
  for (const s of errors) log(`  ${s.errors} errors in a ${s.phase} slice, the first: ${s.firstError}`);
}

async function main(): Promise<void> {
  const target = await prepareTarget('issuance');
  const masterKeyHex = randomBytes(16).toString('hex');
  let service: Proc | undefined;
  let worker: Worker | undefined;
  try {
    service = await startService('card-issuance', {
      env: {
        ...target.env, DB_POOL_SIZE: String(num('BENCH_DB_POOL_SIZE', 20)), MACHINE_SECRET_KEY: randomBytes(32).toString('hex'),
        PICKUP_CODE_KEY: randomBytes(32).toString('hex'), CARD_MASTER_KEYS: `bench:${masterKeyHex}`, CARD_ALGORITHM: ALGORITHM,
      },
    });
    log(`card-issuance benchmark: ${KIOSKS} kiosks, ${ALGORITHM} cards, ${machine()}; service pid ${service.pid}`);
    const machines = await registerKiosks(service, target.adminToken);
    await seedOrders(target, machines.map((m) => m.machineNo), ORDERS_PER_KIOSK);
    const pickups = await createPickupOrders(target, service.url, KIOSKS * PICKUPS_PER_KIOSK, SCRYPT_CODES);
    const kiosks = machines.map((m, i) => ({
      ...m,
      orders: Array.from({ length: ORDERS_PER_KIOSK }, (_, j) => ({ orderId: `B${String(i + 1 + j * KIOSKS).padStart(9, '0')}`, userId: `BU${i + 1 + j * KIOSKS}` })),
      pickups: pickups.filter((_, j) => j % KIOSKS === i),
    }));
    const input: WorkerInput = { baseUrl: service.url, kiosks, masterKeyHex, algorithm: ALGORITHM };
    const w = (worker = new Worker(join(__dirname, 'issuance', 'load-worker.js'), { workerData: input }));
    const phase = (request: PhaseRequest) =>
      new Promise<Slice>((resolve, reject) => {
        w.once('error', reject);
        w.once('message', (r: PhaseResult) => {
          w.off('error', reject);
          resolve({ ...r, responses: Object.values(r.samples).reduce((n, s) => n + s.length, 0) });
        });
        w.postMessage(request);
      });
    const pid = service.pid;
    const finishedBefore = await countFinished(target);
    await phase({ phase: 'warmup', seconds: 3 });

    const closed = PHASES.has('closed')
      ? await alternate<Slice>(
          ROUNDS,
          { pid, run: () => phase({ phase: 'personalise', seconds: CLOSED_SECONDS / ROUNDS }) },
          { pid, run: () => phase({ phase: 'baseline', seconds: BASELINE_SECONDS / ROUNDS }) },
        )
      : undefined;
    if (closed) logSide(`closed loop (capacity), ${CLOSED_SECONDS} s, baseline ${BASELINE_SECONDS} s, in ${ROUNDS} alternating slices each:`, closed.service, closed.baseline);
    let lastRate = 0;
    const paced = PHASES.has('paced')
      ? await alternate<Slice>(
          ROUNDS,
          {
            pid,
            run: async () => {
              const slice = await phase({ phase: 'personalise', seconds: PACED_SECONDS / ROUNDS, apduMs: APDU_MS, cardGapMs: CARD_GAP_MS });
              lastRate = slice.responses / (slice.elapsedMs / 1000);
              return slice;
            },
          },
          // Each baseline kiosk calls as often as a paced kiosk did in the slice before.
          { pid, run: () => phase({ phase: 'baseline', seconds: BASELINE_SECONDS / ROUNDS, callGapMs: Math.round((1000 * KIOSKS) / Math.max(lastRate, 1)) }) },
        )
      : undefined;
    if (paced) logSide(`paced: ${APDU_MS} ms of card time per APDU, ${CARD_GAP_MS} ms between cards, ${PACED_SECONDS} s; baseline at the same request rate:`, paced.service, paced.baseline);
    const burst = PHASES.has('burst')
      ? await alternate<Slice>(
          ROUNDS,
          { pid, run: () => phase({ phase: 'burst', seconds: BURST_SECONDS / ROUNDS, stepMs: STEP_MS }) },
          { pid, run: () => phase({ phase: 'baseline', seconds: BASELINE_SECONDS / ROUNDS, stepMs: STEP_MS }) },
        )
      : undefined;
    if (burst) logSide(`morning burst${SCRYPT_CODES ? ' (codes as scrypt hashes)' : ''}: ${KIOSKS} kiosks starting together at the pickup code, ${STEP_MS} ms between calls, ${BURST_SECONDS} s; baseline kiosks starting together too:`, burst.service, burst.baseline, BURST_STEPS);

    const finished = (await countFinished(target)) - finishedBefore;
    let onStream = 0;
    for (let i = 0; i < 100 && onStream < finished; i++) {
      onStream = await cardIssuedOnStream(target);
      if (onStream < finished) await new Promise((r) => setTimeout(r, 100));
    }
    log(`orders FINISHED (warm-up included): ${finished}; card.issued on the stream: ${onStream}${onStream === finished ? ' (one each)' : ' (MISMATCH)'}`);

    const report = new Report();
    /** `target` undefined: a figure shown, not judged (closed loop: its latency is queueing by design). */
    const row = (figure: string, load: SideResult<Slice>, baseline: SideResult<Slice>, steps = STEPS, target: number | undefined = TARGET_P99_MS) => {
      const p99 = percentile(samples(load, steps), 99);
      const errors = [...load.slices, ...baseline.slices].reduce((n, s) => n + s.errors, 0);
      const means = steps === BURST_STEPS ? `; mean openCardUserDetail ${ms(mean(samples(load, ['openCardUserDetail'])))}, getOpenCardApdu ${ms(mean(samples(load, ['getOpenCardApdu'])))}` : '';
      report.add({
        figure,
        service: `p99 ${ms(p99)} per round trip, ${fmt(cardsPerSecond(load), 1)} cards/s${means}, ${describeCpu(load.cpu)}`,
        baseline: `signed no-op p99 ${ms(percentile(samples(baseline, ['machineDetail']), 99))}, mean ${ms(mean(samples(baseline, ['machineDetail'])))}`,
        target: target === undefined ? '(shown: capacity, its latency is queueing)' : `p99 < ${target} ms`,
        ok: (target === undefined || p99 < target) && errors === 0 && onStream === finished,
      });
    };
    if (paced) row(`issuance, ${KIOSKS} kiosks paced (${APDU_MS} ms card time per APDU)`, paced.service, paced.baseline);
    if (closed) row(`issuance, ${KIOSKS} kiosks closed loop (capacity)`, closed.service, closed.baseline, STEPS, undefined);
    if (burst) row(`morning burst, ${KIOSKS} kiosks starting together from the pickup code (${STEP_MS} ms between calls)`, burst.service, burst.baseline, BURST_STEPS, BURST_TARGET_P99_MS);
    report.print();
  } finally {
    await worker?.terminate();
    closeConnections();
    await service?.stop();
    await target.cleanup();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:issuance failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
