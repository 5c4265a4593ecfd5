import { Logger } from '@nestjs/common';
import { AppError, ErrorKind } from '@onecard/kernel';
import { describeFailure, failureReason, isRowFault } from './write-failure';

export interface BatchWriterOptions<T> {
  name: string;
  /** Flush at most this long after the first row waits … */
  flushMs: number;
  /** … or as soon as this many rows wait (also the largest statement). */
  maxBatch: number;
  /** Rows kept while the database is away; beyond this `add` refuses. */
  maxPending: number;
  /** Writes one batch (one transaction); throws to have it retried. */
  write(rows: T[]): Promise<void>;
  /** Records rows no write can store, with why (dead rows); they leave the queue once it resolves. */
  bury(rows: T[], reason: string): Promise<void>;
  /** Told of every failed write, with a short reason (SQLSTATE, socket error code …): for metrics. */
  onFailure?(reason: string): void;
}

export const BATCH_BUSY = 'BATCH_BUSY';

/** Failed writes in a row after which the writer reports itself unhealthy. */
export const UNHEALTHY_AFTER_FAILURES = 3;

/**
 * Group writes for the high-volume calls (heartbeats, online checks): the caller's answer does
 * not wait for the database; rows are written by one multi-row statement every `flushMs` or
 * `maxBatch` rows.
 *
 * Trade-off, on purpose: an answered row sits in memory for up to `flushMs` (plus the write)
 * before it is durable. A failed write is retried (rows stay queued, in order); graceful
 * shutdown flushes everything and from then on each row is written before its answer. Only a
 * crash of the process (SIGKILL, OOM) loses what was queued: at most `flushMs` worth of rows
 * in normal operation. When the queue is full (database down for long) new rows are refused
 * with an error the device sees, never dropped silently.
 *
 * One bad row must not stop the rest: a batch refused for its data (isRowFault) is split in
 * halves, each written or split again, until the rows Postgres refuses are alone; those are
 * buried (recorded as dead rows with the reason) and the rest is stored, in order. A failure that
 * is not the data's (database away, permissions) splits nothing: the batch waits and is retried,
 * and after UNHEALTHY_AFTER_FAILURES in a row `problem` says why (on /health).
 */
export class BatchWriter<T> {
  private readonly logger: Logger;
  private queue: T[] = [];
  /** When each queued row was queued (epoch ms), beside it: the age of the oldest is a backlog figure. */
  private queuedAt: number[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private lastFailure = '';
  private draining = false;
  written = 0;
  buried = 0;

  constructor(private readonly options: BatchWriterOptions<T>) {
    this.logger = new Logger(options.name);
  }

  get name(): string {
    return this.options.name;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** When the oldest row still waiting was queued (epoch ms), or undefined when none waits. */
  get oldestQueuedAt(): number | undefined {
    return this.queuedAt[0];
  }

  /** Why the writer cannot write (after UNHEALTHY_AFTER_FAILURES failed writes in a row), or undefined. */
  problem(): string | undefined {
    if (this.failures < UNHEALTHY_AFTER_FAILURES) return undefined;
    return `${this.failures} writes in a row failed (last: ${this.lastFailure}); ${this.queue.length} rows waiting`;
  }

  /** Queues a row; after shutdown began, writes it before resolving. */
  async add(row: T): Promise<void> {
    if (this.queue.length >= this.options.maxPending) {
      throw new AppError(ErrorKind.UNAVAILABLE, BATCH_BUSY, `${this.options.name}: the server is busy storing earlier reports; retry shortly`);
    }
    this.queue.push(row);
    this.queuedAt.push(Date.now());
    if (this.draining) {
      await this.flush();
      return;
    }
    if (this.queue.length >= this.options.maxBatch) this.kick(0);
    else if (!this.timer) this.kick(this.options.flushMs);
  }

  private kick(ms: number): void {
    if (this.timer && ms > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, ms);
    // Never what keeps a process alive: shutdown drains explicitly.
    this.timer.unref();
  }

  /** Writes everything queued (one batch at a time). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.queue.length === 0) return;
    this.flushing = this.writeSome();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
    if (this.queue.length > 0) {
      if (this.queue.length >= this.options.maxBatch || this.draining) await this.flush();
      else this.kick(this.options.flushMs);
    }
  }

  private async writeSome(): Promise<void> {
    const batch = this.queue.slice(0, this.options.maxBatch);
    try {
      await this.store(batch);
      this.failures = 0;
    } catch (error) {
      this.failures++;
      this.lastFailure = describeFailure(error);
      const delay = Math.min(100 * 2 ** Math.min(this.failures, 6), 5000);
      this.logger.warn(`writing ${batch.length} rows failed (${this.lastFailure}); ${this.queue.length} queued, retry in ${delay} ms`);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, delay);
      this.timer.unref();
      throw error;
    }
  }

  /**
   * Writes `rows` (the head of the queue), splitting it around rows Postgres refuses. Rows leave
   * the queue as they are written or buried, always from its head (halves go left first), so a
   * failure that is not the data's leaves exactly the unsettled rows queued, in order.
   */
  private async store(rows: T[]): Promise<void> {
    try {
      await this.options.write(rows);
      this.settled(rows.length);
      this.written += rows.length;
      return;
    } catch (error) {
      this.options.onFailure?.(failureReason(error));
      if (!isRowFault(error)) throw error;
      if (rows.length === 1) {
        const reason = describeFailure(error);
        await this.options.bury(rows, reason);
        this.settled(1);
        this.buried++;
        this.logger.error(`a row Postgres refuses was set aside as dead (${reason})`);
        return;
      }
    }
    const half = Math.ceil(rows.length / 2);
    await this.store(rows.slice(0, half));
    await this.store(rows.slice(half));
  }

  /** The first `count` rows of the queue were written or buried. */
  private settled(count: number): void {
    this.queue.splice(0, count);
    this.queuedAt.splice(0, count);
  }

  /** Shutdown: write what is queued; later rows are written before their answer. What cannot be written is logged as lost. */
  async drain(): Promise<void> {
    this.draining = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let attempt = 0; attempt < 5 && this.queue.length > 0; attempt++) {
      await this.flush().catch(() => new Promise((r) => setTimeout(r, 200)));
    }
    if (this.queue.length > 0) {
      this.logger.error(`${this.queue.length} accepted rows LOST: they could not be written before shutdown (last failure: ${this.lastFailure})`);
    }
  }
}
