import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { MetricsRegistry } from '@onecard/kernel';
import { HealthIndicators } from '@onecard/platform';
import { WageAttendanceConfig } from '../config';
import { retryDelayMs } from './backoff';
import { CALLBACKS_QUEUED, CallbackQueue } from './callback-queue';
import { CallbackSender } from './callback-sender';
import { deliveryRound, ROUND_BEGIN, RoundOutcome } from './delivery-round';

/**
 * Delivers queued callbacks to the supervision platform: CALLBACK_LANES loops per replica, each
 * running delivery rounds (delivery-round.ts). A round claims up to CALLBACK_DEVICES_PER_ROUND
 * devices (their callback_lane rows FOR UPDATE SKIP LOCKED, held while it sends) and sends each
 * device's pending callbacks one after the other, oldest first, the devices side by side. A
 * device is thus served by one worker of one replica at a time, in order. A failure stops that
 * device: its head waits (exponential backoff in the lane's due_at) and is sent again, until
 * CALLBACK_MAX_ATTEMPTS failures make it a dead letter and the next one goes. What a round
 * delivered is marked in its transaction: a crash mid-round sends those again (the platform can
 * drop a repeat by X-Callback-Id); replicas never do.
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
  /** For /health: when a delivery last succeeded, since when they fail, why. */
  private lastDeliveredAt?: number;
  private failingSince?: number;
  private lastFailure?: string;

  constructor(
    private readonly db: DataSource,
    private readonly sender: CallbackSender,
    queue: CallbackQueue,
    private readonly config: WageAttendanceConfig,
    metrics: MetricsRegistry,
    health: HealthIndicators,
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
    health.register('callbacks', () => this.health());
    queue.onCommitted(() => this.wake());
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

  /**
   * A lane's loop. After a round that had work it pauses CALLBACK_GATHER_MS (wakes ignored), so
   * under load the callbacks queued meanwhile go out together in the next round (its statements
   * shared by many) rather than a round per commit; idle, it sleeps until a commit wakes it or
   * CALLBACK_POLL_MS passes (work another replica queued).
   */
  private async runLane(): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.deliverRound();
      } catch (error) {
        this.logger.warn(`delivery round failed: ${(error as Error).message}`);
      }
      if (this.stopping) break;
      if (worked) await new Promise((r) => setTimeout(r, this.config.CALLBACK_GATHER_MS));
      else await this.sleep(this.config.CALLBACK_POLL_MS);
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

  /** One round (delivery-round.ts) in its own transaction; false when no device was due. */
  private async deliverRound(): Promise<boolean> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      // By hand, not startTransaction: BEGIN and SET LOCAL go in one round trip.
      await runner.query(ROUND_BEGIN);
      open = true;
      const outcome = await deliveryRound(runner, this.sender, {
        devicesPerRound: this.config.CALLBACK_DEVICES_PER_ROUND,
        callbacksPerDevice: this.config.CALLBACK_BATCH,
        maxAttempts: this.config.CALLBACK_MAX_ATTEMPTS,
        retryDelayMs: (failures) => retryDelayMs(failures, this.config.CALLBACK_RETRY_BASE_MS, this.config.CALLBACK_RETRY_MAX_MS),
        stopping: () => this.stopping,
      });
      await runner.query('COMMIT');
      open = false;
      this.account(outcome);
      return outcome.devices > 0;
    } catch (error) {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private account({ sent, failures }: RoundOutcome): void {
    const now = Date.now();
    if (sent.length > 0) {
      this.lastDeliveredAt = now;
      this.failingSince = undefined;
    }
    for (const c of sent) {
      this.delivered.inc({ kind: c.kind });
      this.lag.observe({ kind: c.kind }, (now - new Date(c.created_at).getTime()) / 1000);
    }
    for (const f of failures) {
      this.failingSince ??= now;
      this.lastFailure = f.reason;
      this.failed.inc({ kind: f.callback.kind });
      const what = `callback ${f.callback.id} (${f.callback.kind}, device ${f.callback.device_key})`;
      if (f.dead) {
        this.dead.inc({ kind: f.callback.kind });
        this.logger.warn(`${what} dead after ${f.attempts} attempts: ${f.reason}`);
      } else if (f.attempts === 1 || f.attempts % 5 === 0) {
        this.logger.warn(`${what} attempt ${f.attempts} failed: ${f.reason}; next in ${f.waitMs} ms`);
      }
    }
  }

  /**
   * Degraded (not critical: the platform's calls and the terminals are served meanwhile) while
   * deliveries have failed for a minute without one getting through. No target configured is a
   * deployment's choice (callbacks are kept): said, not failed.
   */
  private health(): { up: boolean; detail: Record<string, unknown> } {
    const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());
    if (!this.config.SUPERVISION_CALLBACK_URL) return { up: true, detail: { message: 'SUPERVISION_CALLBACK_URL not set: callbacks are kept, not sent' } };
    const failing = this.failingSince !== undefined && Date.now() - this.failingSince > 60_000;
    return { up: !failing, detail: { lastDeliveredAt: iso(this.lastDeliveredAt), failingSince: iso(this.failingSince), lastFailure: this.failingSince ? this.lastFailure : null } };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake();
    await Promise.all(this.lanes);
    const i = this.db.subscribers.indexOf(this);
    if (i >= 0) this.db.subscribers.splice(i, 1);
  }
}
