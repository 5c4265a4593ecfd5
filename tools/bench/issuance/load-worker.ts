// The benchmark's load generator, in a worker thread: N kiosks, each a sequential loop of
// signed calls (a kiosk never has two requests in flight), run for a bounded time.
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { ApduStep, blankCardFor, runBatch } from '@onecard/apdu';
import { SignedKiosk, WireResult } from '../../sim/kiosk/signed-client';
import { KioskSpec, PhaseRequest, PhaseResult, WorkerInput } from './protocol';

const input = workerData as WorkerInput;
const masterKey = Buffer.from(input.masterKeyHex, 'hex');
const kiosks = input.kiosks.map((k) => ({ spec: k, client: new SignedKiosk(input.baseUrl, k.machineNo, k.secret), next: 0, nextPickup: 0 }));

class Recorder {
  readonly samples: Record<string, number[]> = {};
  errors = 0;
  firstError?: string;
  constructor(private readonly record: boolean) {}

  take(name: string, result: WireResult): WireResult {
    if (this.record) (this.samples[name] ??= []).push(result.ms);
    if (result.body?.code !== 0) {
      this.errors++;
      this.firstError ??= `${name}: ${result.text.slice(0, 200)}`;
      throw new Error('call failed');
    }
    return result;
  }
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * One card, getOpenCardApdu to finish (from openCardUserDetail in the burst); `apduMs` models the
 * card's own time per command, `stepMs` a kiosk's time between two calls.
 */
async function oneCard(k: (typeof kiosks)[number], rec: Recorder, apduMs: number, stepMs = 0, burst = false): Promise<boolean> {
  const pickup = burst ? k.spec.pickups[k.nextPickup++] : undefined;
  const order = burst ? pickup : k.spec.orders[k.next++];
  if (!order) return false;
  if (pickup) {
    rec.take('openCardUserDetail', await k.client.openCardUserDetail(pickup.phoneNumber, pickup.pickupCode));
    await sleep(stepMs);
  }
  const uid = randomBytes(7).toString('hex').toUpperCase();
  const card = blankCardFor({ uid, algorithm: input.algorithm, projectMasterKey: masterKey });
  let answer = rec.take('getOpenCardApdu', await k.client.getOpenCardApdu(order.orderId, order.userId, uid));
  let batch: ApduStep[] = answer.body.data.cApdus;
  for (;;) {
    const report = runBatch(card, batch);
    await sleep(stepMs + apduMs * (report.lastIndex - batch[0].index + 1));
    answer = rec.take('apduExeResult', await k.client.apduExeResult({ apduIndex: String(report.lastIndex), rapdu: report.rapdu, result: '0x00', userId: order.userId, uid }));
    if (answer.body.data.isFinished) break;
    batch = answer.body.data.cApdus;
  }
  await sleep(stepMs);
  rec.take('finish', await k.client.finish(order.orderId, order.userId, uid));
  return true;
}

async function run(request: PhaseRequest): Promise<PhaseResult> {
  const rec = new Recorder(request.phase !== 'warmup');
  const started = performance.now();
  const deadline = started + request.seconds * 1000;
  let cards = 0;
  const loop = async (k: (typeof kiosks)[number], i: number) => {
    // Paced kiosks start spread over one cycle, as real ones are not in step; a burst starts at once.
    if (!request.stepMs && (request.cardGapMs || request.callGapMs)) await sleep(((request.cardGapMs ?? request.callGapMs ?? 0) * i) / kiosks.length);
    while (performance.now() < deadline) {
      try {
        if (request.phase === 'baseline') {
          rec.take('machineDetail', await k.client.machineDetail());
          await sleep(request.stepMs ?? request.callGapMs ?? 0);
        } else if (await oneCard(k, rec, request.apduMs ?? 0, request.stepMs, request.phase === 'burst')) {
          cards++;
          await sleep(request.cardGapMs ?? request.stepMs ?? 0);
        } else return;
      } catch (error) {
        if ((error as Error).message !== 'call failed') {
          rec.errors++;
          rec.firstError ??= (error as Error).message;
        }
      }
    }
  };
  await Promise.all(kiosks.map((k, i) => loop(k, i).catch((e: Error) => {
    rec.errors++;
    rec.firstError ??= e.message;
  })));
  return { phase: request.phase, elapsedMs: performance.now() - started, samples: rec.samples, cards, errors: rec.errors, firstError: rec.firstError };
}

parentPort?.on('message', (request: PhaseRequest) => {
  void run(request).then((result) => parentPort?.postMessage(result));
});

export type { KioskSpec };
