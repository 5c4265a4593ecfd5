import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { MetricsRegistry } from '@onecard/kernel';
import { WageAttendanceConfig } from '../config';
import { retryDelayMs } from './backoff';
import { CallbackKind } from './callback-forms';
import { CALLBACKS_QUEUED } from './callback-queue';
import { CallbackSender, OutgoingCallback } from './callback-sender';

/**
 * A device with callbacks pending whose backoff has run out, locked for this transaction; one
 * another worker holds is skipped. Devices with something pending are found by a loose index scan
 * of callback_pending (one probe per such device), so idle lanes cost nothing.
 */
const CLAIM_LANE = `
  WITH RECURSIVE pending(device_key) AS (
    (SELECT device_key FROM callback WHERE status = 'pending' ORDER BY device_key LIMIT 1)
    UNION ALL
    SELECT (SELECT c.device_key FROM callback c WHERE c.status = 'pending' AND c.device_key > p.device_key ORDER BY c.device_key LIMIT 1)
      FROM pending p WHERE p.device_key IS NOT NULL
  )
  SELECT l.device_key FROM callback_lane l
   WHERE l.device_key IN (SELECT device_key FROM pending WHERE device_key IS NOT NULL) AND l.due_at <= now()
   ORDER BY l.due_at
   LIMIT 1
   FOR UPDATE OF l SKIP LOCKED`;

interface PendingRow {
  id: string;
  kind: CallbackKind;
  form: string;
  attempts: number;
  created_at: Date;
}

/**
 * Delivers queued callbacks to the supervision platform: CALLBACK_LANES loops per replica, each
 * claiming one device at a time (its callback_lane row FOR UPDATE SKIP LOCKED, held while it
 * sends) and sending that device's pending callbacks one after the other, oldest first. A device
 * is thus served by one worker of one replica at a time, in order; other devices go on in other
 * lanes. A failure stops the device's batch: its head waits (exponential backoff in the lane's
 * due_at) and is sent again, until CALLBACK_MAX_ATTEMPTS failures make it a dead letter and the
 * next one goes. What a batch delivered is marked in the same transaction: a crash mid-batch
 * sends those again (the platform can drop a repeat by X-Callback-Id); replicas never do.
 */
@Injectable()
export class CallbackDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger('callbacks');
  private readonly lanes: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  private stopping = false;
  private readonly delivered: Counter<'kind'>;
  private readonly failed: Counter<'kind'>;
  private readonly dead: Counter<'kind'>;
  private readonly lag: Histogram<'kind'>;

  constructor(
    private readonly db: DataSource,
    private readonly sender: CallbackSender,
    private readonly config: WageAttendanceConfig,
    metrics: MetricsRegistry,
  ) {
    this.delivered = metrics.counter('wage_callbacks_delivered_total', 'Callbacks the supervision platform took', ['kind']);
    this.failed = metrics.counter('wage_callback_failures_total', 'Callback attempts that failed (to be retried or dead-lettered)', ['kind']);
    this.dead = metrics.counter('wage_callbacks_dead_total', 'Callbacks dead-lettered after CALLBACK_MAX_ATTEMPTS failures', ['kind']);
    this.lag = new Histogram({
      name: 'wage_callback_lag_seconds',
      help: 'From the change queuing a callback to the platform taking it',
      labelNames: ['kind'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [metrics.registry],
    });
    metrics.gauge('wage_callbacks_pending', 'Callbacks waiting to be delivered', async function () {
      const [row] = await db.query(`SELECT count(*)::int AS n FROM callback WHERE status = 'pending'`).catch(() => [{ n: -1 }]);
      this.set(row.n);
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.SUPERVISION_CALLBACK_URL) {
      this.logger.warn('SUPERVISION_CALLBACK_URL not set: callbacks are queued and kept until it is');
      return;
    }
    this.db.subscribers.push(this);
    for (let i = 0; i < this.config.callbackLanes(); i++) this.lanes.push(this.runLane());
  }

  /** A transaction that queued callbacks committed: wake the idle lanes. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.[CALLBACKS_QUEUED]) {
      event.queryRunner.data[CALLBACKS_QUEUED] = false;
      this.wake();
    }
  }

  wake(): void {
    for (const resume of [...this.sleepers]) resume();
  }

  private async runLane(): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.deliverOneDevice();
      } catch (error) {
        this.logger.warn(`delivery round failed: ${(error as Error).message}`);
      }
      if (!worked && !this.stopping) await this.sleep(this.config.CALLBACK_POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** One device's batch; false when no device was due. */
  private async deliverOneDevice(): Promise<boolean> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [lane]: Array<{ device_key: string }> = await runner.query(CLAIM_LANE);
      if (!lane) {
        await runner.commitTransaction();
        return false;
      }
      // ORDER BY c.id: a bare `id` would sort by the text output column of that name (10 before 9).
      const rows: PendingRow[] = await runner.query(
        `SELECT id::text, kind, form::text AS form, attempts, created_at FROM callback c WHERE device_key = $1 AND status = 'pending' ORDER BY c.id LIMIT $2`,
        [lane.device_key, this.config.CALLBACK_BATCH],
      );
      const sent: PendingRow[] = [];
      let failure: { row: PendingRow; reason: string } | undefined;
      for (const row of rows) {
        if (this.stopping) break;
        const reason = await this.sender.send({ id: row.id, deviceKey: lane.device_key, kind: row.kind, form: row.form } satisfies OutgoingCallback);
        if (reason !== undefined) {
          failure = { row, reason };
          break;
        }
        sent.push(row);
      }
      if (sent.length > 0) {
        await runner.query(
          `UPDATE callback SET status = 'delivered', delivered_at = now(), last_attempt_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
          [sent.map((r) => r.id)],
        );
      }
      let dueInMs = 0;
      if (failure) dueInMs = await this.recordFailure(runner.query.bind(runner), lane.device_key, failure.row, failure.reason);
      // Back of the queue (or its backoff): other devices get their turn.
      await runner.query(`UPDATE callback_lane SET due_at = now() + $2 * interval '1 millisecond' WHERE device_key = $1`, [lane.device_key, dueInMs]);
      await runner.commitTransaction();
      const now = Date.now();
      for (const r of sent) {
        this.delivered.inc({ kind: r.kind });
        this.lag.observe({ kind: r.kind }, (now - new Date(r.created_at).getTime()) / 1000);
      }
      return true;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Counts the failure; dead-letters the callback after CALLBACK_MAX_ATTEMPTS. Returns the lane's wait. */
  private async recordFailure(query: (sql: string, params: unknown[]) => Promise<unknown>, deviceKey: string, row: PendingRow, reason: string): Promise<number> {
    const attempts = row.attempts + 1;
    const dead = attempts >= this.config.CALLBACK_MAX_ATTEMPTS;
    await query(
      `UPDATE callback SET attempts = $2, last_error = $3, last_attempt_at = now(), status = CASE WHEN $4 THEN 'dead' ELSE status END WHERE id = $1`,
      [row.id, attempts, reason, dead],
    );
    this.failed.inc({ kind: row.kind });
    if (dead) {
      this.dead.inc({ kind: row.kind });
      this.logger.warn(`callback ${row.id} (${row.kind}, device ${deviceKey}) dead after ${attempts} attempts: ${reason}`);
      return 0;
    }
    const wait = retryDelayMs(attempts, this.config.CALLBACK_RETRY_BASE_MS, this.config.CALLBACK_RETRY_MAX_MS);
    if (attempts === 1 || attempts % 5 === 0) this.logger.warn(`callback ${row.id} (${row.kind}, device ${deviceKey}) attempt ${attempts} failed: ${reason}; next in ${wait} ms`);
    return wait;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake();
    await Promise.all(this.lanes);
    const i = this.db.subscribers.indexOf(this);
    if (i >= 0) this.db.subscribers.splice(i, 1);
  }
}
