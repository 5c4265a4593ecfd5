import { QueryRunner } from 'typeorm';
import { CallbackKind } from './callback-forms';
import { CallbackSender } from './callback-sender';

/**
 * A round's transaction starts with one round trip (no parameters: the simple protocol takes both
 * statements). A crash losing the last marks means those callbacks go again (X-Callback-Id lets
 * the platform drop the repeat), which a crash mid-send means anyway: no fsync wait while lanes
 * are held.
 */
export const ROUND_BEGIN = `START TRANSACTION; SET LOCAL synchronous_commit = off`;

/**
 * Devices with callbacks pending whose backoff has run out, their lane rows locked for this
 * transaction (those another worker holds are skipped). Devices with something pending are found
 * by a loose index scan of callback_pending (one probe per such device), so idle lanes cost
 * nothing.
 */
const CLAIM = `
  WITH RECURSIVE pending(device_key) AS (
    (SELECT device_key FROM callback WHERE status = 'pending' ORDER BY device_key LIMIT 1)
    UNION ALL
    SELECT (SELECT c.device_key FROM callback c WHERE c.status = 'pending' AND c.device_key > p.device_key ORDER BY c.device_key LIMIT 1)
      FROM pending p WHERE p.device_key IS NOT NULL
  )
  SELECT l.device_key FROM callback_lane l
   WHERE l.device_key IN (SELECT device_key FROM pending WHERE device_key IS NOT NULL) AND l.due_at <= now()
   ORDER BY l.due_at
   LIMIT $1
   FOR UPDATE OF l SKIP LOCKED`;

/**
 * The claimed devices' oldest pending callbacks. A statement of its own, after the claim: its
 * snapshot is taken once the locks are held, so it sees what the lanes' previous holder marked
 * delivered (read in the claim's own statement, a lock won as that holder committed would come
 * with a snapshot from before: its callbacks sent again). `t.id`, not `id`: that would sort the
 * text output column of the same name (10 before 9).
 */
const READ = `
  SELECT id::text, device_key, kind, form::text AS form, attempts, created_at
    FROM (SELECT c.*, row_number() OVER (PARTITION BY c.device_key ORDER BY c.id) AS rn FROM callback c
           WHERE c.status = 'pending' AND c.device_key = ANY($1::text[])) t
   WHERE rn <= $2
   ORDER BY t.device_key, t.id`;

/** What a round did, in one statement: delivered, failed (or dead), and each device's next turn. */
const RECORD_ROUND = `
  WITH delivered AS (
    UPDATE callback SET status = 'delivered', delivered_at = now(), last_attempt_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])
  ), failed AS (
    UPDATE callback c SET attempts = f.attempts, last_error = f.reason, last_attempt_at = now(), status = CASE WHEN f.dead THEN 'dead' ELSE c.status END
      FROM json_to_recordset($2::json) AS f(id bigint, attempts int, reason text, dead boolean) WHERE c.id = f.id
  )
  UPDATE callback_lane l SET due_at = now() + w.wait * interval '1 millisecond'
    FROM json_to_recordset($3::json) AS w(device_key text, wait float8) WHERE l.device_key = w.device_key`;

export interface PendingCallback {
  id: string;
  device_key: string;
  kind: CallbackKind;
  form: string;
  attempts: number;
  created_at: Date;
}

export interface Failure {
  callback: PendingCallback;
  reason: string;
  attempts: number;
  dead: boolean;
  /** The device's wait before its next try. */
  waitMs: number;
}

export interface RoundOutcome {
  devices: number;
  sent: PendingCallback[];
  failures: Failure[];
}

export interface RoundOptions {
  devicesPerRound: number;
  callbacksPerDevice: number;
  maxAttempts: number;
  retryDelayMs(failures: number): number;
  stopping(): boolean;
}

/**
 * One delivery round, in the runner's transaction: claims up to devicesPerRound devices, sends
 * each device's oldest pending callbacks one after the other (devices side by side), stops a
 * device at its first failure, and records the outcome: delivered, failed (attempts, reason,
 * dead after maxAttempts) and each device's next turn (now, or its backoff). The caller commits
 * (with synchronous_commit off: see ROUND_BEGIN).
 */
export async function deliveryRound(runner: QueryRunner, sender: CallbackSender, options: RoundOptions): Promise<RoundOutcome> {
  const lanes: Array<{ device_key: string }> = await runner.query(CLAIM, [options.devicesPerRound]);
  if (lanes.length === 0) return { devices: 0, sent: [], failures: [] };
  const rows: PendingCallback[] = await runner.query(READ, [lanes.map((l) => l.device_key), options.callbacksPerDevice]);
  const byDevice = new Map<string, PendingCallback[]>();
  for (const row of rows) {
    const list = byDevice.get(row.device_key);
    if (list) list.push(row);
    else byDevice.set(row.device_key, [row]);
  }
  const sent: PendingCallback[] = [];
  const failures: Failure[] = [];
  await Promise.all(
    [...byDevice.values()].map(async (callbacks) => {
      for (const callback of callbacks) {
        if (options.stopping()) return;
        const reason = await sender.send({ id: callback.id, deviceKey: callback.device_key, kind: callback.kind, form: callback.form });
        if (reason === undefined) {
          sent.push(callback);
          continue;
        }
        const attempts = callback.attempts + 1;
        const dead = attempts >= options.maxAttempts;
        failures.push({ callback, reason, attempts, dead, waitMs: dead ? 0 : options.retryDelayMs(attempts) });
        return;
      }
    }),
  );
  // Each claimed device goes to the back of the queue, or waits out its backoff.
  const waits = new Map(lanes.map((l) => [l.device_key, 0]));
  for (const f of failures) waits.set(f.callback.device_key, f.waitMs);
  await runner.query(RECORD_ROUND, [
    sent.map((c) => c.id),
    JSON.stringify(failures.map((f) => ({ id: f.callback.id, attempts: f.attempts, reason: f.reason, dead: f.dead }))),
    JSON.stringify([...waits].map(([device_key, wait]) => ({ device_key, wait }))),
  ]);
  return { devices: lanes.length, sent, failures };
}
