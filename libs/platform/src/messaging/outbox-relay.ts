import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import type { BaseConfig } from '../config';
import { PLATFORM_CONFIG } from '../app/tokens';
import { NatsConnectionService } from './nats-connection.service';
import { OUTBOX_WRITTEN } from './outbox';
import { MessagingMetrics } from './messaging-metrics';

interface PendingRow {
  seq: string;
  id: string;
  subject: string;
  message: unknown;
}

const BATCH = 200;

/**
 * Publishes committed outbox rows to JetStream in commit order, with the outbox id as
 * Nats-Msg-Id so a retried publish is deduplicated by the stream. Safe in every replica:
 * rows are claimed with FOR UPDATE SKIP LOCKED. While NATS is away it backs off and rows wait.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger('outbox');
  private running = false;
  private stopped = false;
  private wakeRequested = false;
  private timer?: NodeJS.Timeout;
  private backoffMs = 0;

  constructor(
    private readonly db: DataSource,
    private readonly nats: NatsConnectionService,
    private readonly metrics: MessagingMetrics,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.db.subscribers.push(this);
    this.nats.onConnected(() => this.wake());
    this.schedule(0);
  }

  /** TypeORM commit hook: a transaction that wrote to the outbox wakes the relay. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.[OUTBOX_WRITTEN]) {
      event.queryRunner.data[OUTBOX_WRITTEN] = false;
      this.wake();
    }
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    if (this.backoffMs === 0) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let more = false;
    try {
      if (this.nats.isConnected) {
        await this.nats.ensureStream();
        more = await this.publishBatch();
      }
      this.backoffMs = 0;
    } catch (error) {
      this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 200), 10_000);
      this.logger.warn(`publishing paused for ${this.backoffMs} ms: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
    const next = this.backoffMs || (more || this.wakeRequested ? 0 : this.config.OUTBOX_POLL_MS);
    this.wakeRequested = false;
    this.schedule(next);
  }

  /** One batch in one transaction; stops at the first failure so order is kept. True if more wait. */
  private async publishBatch(): Promise<boolean> {
    const outcome = await this.db.transaction(async (manager): Promise<{ more: boolean; failure?: Error }> => {
      const rows: PendingRow[] = await manager.query(
        `SELECT seq, id, subject, message FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return { more: false };
      const js = this.nats.jetstream();
      const published: string[] = [];
      let failure: Error | undefined;
      for (const row of rows) {
        try {
          // msgID becomes the Nats-Msg-Id header: the stream drops a re-publish of the same row.
          await js.publish(this.nats.subject(row.subject), JSON.stringify(row.message), { msgID: row.id, timeout: 5000 });
          published.push(row.seq);
        } catch (error) {
          failure = error as Error;
          await manager.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [row.seq, failure.message.slice(0, 500)]);
          break;
        }
      }
      if (published.length > 0) {
        await manager.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [published]);
        this.metrics.published(published.length);
      }
      return { more: rows.length === BATCH, failure };
    });
    // Thrown after commit, so rows published before the failure stay marked.
    if (outcome.failure) throw outcome.failure;
    await this.prunePublished();
    return outcome.more;
  }

  private lastPrune = 0;

  /** Published rows are kept a day for operators, then dropped (at most hourly). */
  private async prunePublished(): Promise<void> {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    await this.db.query(`DELETE FROM outbox WHERE published_at < now() - interval '1 day'`);
  }

  /** Rows not yet published (the `onecard_outbox_backlog` gauge). */
  async backlog(): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    return row.n;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const i = this.db.subscribers.indexOf(this);
    if (i >= 0) this.db.subscribers.splice(i, 1);
  }
}
