import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import type { BaseConfig } from '../config';
import { PLATFORM_CONFIG } from '../app/tokens';
import { NatsConnectionService } from './nats-connection.service';
import { publishPipelined } from './jetstream-pipeline';
import { OUTBOX_WRITTEN } from './outbox';
import { MessagingMetrics } from './messaging-metrics';

interface PendingRow {
  seq: string;
  id: string;
  subject: string;
  /** The message's JSON text, published as stored. */
  message: string;
}

/** Rows claimed per round; with pipelined publishing a round costs about one ack round trip, so it can be large. */
const BATCH = 1000;
const ACK_TIMEOUT_MS = 5000;

/**
 * Publishes committed outbox rows to JetStream in commit order, with the outbox id as
 * Nats-Msg-Id so a retried publish is deduplicated by the stream. Safe in every replica:
 * rows are claimed with FOR UPDATE SKIP LOCKED. While NATS is away it backs off and rows wait.
 * A batch is published pipelined (see publishInOrder): when JetStream refuses one message of a
 * batch but stores later ones, those later ones precede it in the stream (each still once).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger('outbox');
  private running = false;
  /** The round under way, awaited at shutdown so it never meets a closed pool. */
  private inFlight?: Promise<void>;
  private stopped = false;
  private wakeRequested = false;
  private timer?: NodeJS.Timeout;
  private backoffMs = 0;
  /** The previous round stopped at a failed publish (see publishInOrder). */
  private lastRoundFailed = false;

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
    this.timer = setTimeout(() => {
      this.inFlight = this.tick();
    }, ms);
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
        `SELECT seq, id, subject, message::text AS message FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return { more: false };
      const { published, failure } = await this.publishInOrder(rows);
      if (failure) {
        await manager.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [failure.row.seq, failure.error.message.slice(0, 500)]);
      }
      if (published.length > 0) {
        await manager.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [published]);
        this.metrics.published(published.length);
      }
      return { more: rows.length === BATCH, failure: failure?.error };
    });
    // Thrown after commit, so rows published before the failure stay marked.
    if (outcome.failure) throw outcome.failure;
    await this.prunePublished();
    return outcome.more;
  }

  /**
   * Publishes the rows pipelined (all written, in row order, before any ack is awaited) and counts
   * as published only the run of consecutive acks from the first row. Rows after the first failure
   * stay unpublished even if acknowledged; the next round sends them again and the stream drops
   * the copies (Nats-Msg-Id = outbox id, within its duplicate window).
   *
   * After a failed round the first row goes alone before the rest are pipelined: a row that keeps
   * failing must not have the rows behind it re-sent every round, or they would outlast the
   * duplicate window and be stored twice.
   */
  private async publishInOrder(rows: PendingRow[]): Promise<{ published: string[]; failure?: { row: PendingRow; error: Error } }> {
    const nc = this.nats.connection;
    if (!nc) throw new Error('NATS is not connected');
    const publish = (batch: PendingRow[]) =>
      publishPipelined(nc, batch, (row) => ({ subject: this.nats.subject(row.subject), data: row.message, msgId: row.id }), ACK_TIMEOUT_MS);
    const published: string[] = [];
    let from = 0;
    if (this.lastRoundFailed) {
      const [error] = await publish(rows.slice(0, 1));
      if (error) return { published, failure: { row: rows[0], error } };
      published.push(rows[0].seq);
      from = 1;
    }
    const acks = from < rows.length ? await publish(rows.slice(from)) : [];
    for (let i = 0; i < acks.length; i++) {
      const error = acks[i];
      if (error) {
        this.lastRoundFailed = true;
        return { published, failure: { row: rows[from + i], error } };
      }
      published.push(rows[from + i].seq);
    }
    this.lastRoundFailed = false;
    return { published };
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

  /** Before any provider shuts down (the DataSource among them): stop scheduling and let the round under way finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const i = this.db.subscribers.indexOf(this);
    if (i >= 0) this.db.subscribers.splice(i, 1);
    await this.inFlight;
  }
}
