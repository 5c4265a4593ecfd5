import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { APP_DEFINITION, PLATFORM_CONFIG } from '@onecard/kernel';
import { OUTBOX_BACKLOG_SQL, OUTBOX_WRITTEN } from './outbox';
import { MessagingMetrics } from '../messaging-metrics';

/** What the relay thread is started with (structured-cloned: plain values only). */
export interface RelayThreadData {
  app: string;
  schema: string;
  settings: Pick<
    BaseConfig,
    'DATABASE_URL' | 'DB_CONNECT_TIMEOUT_MS' | 'DB_STATEMENT_TIMEOUT_MS' | 'NATS_URL' | 'NATS_STREAM' | 'NATS_STREAM_REPLICAS' | 'NATS_SUBJECT_PREFIX' | 'NATS_PING_INTERVAL_MS' | 'OUTBOX_POLL_MS' | 'LOG_LEVEL'
  >;
}
export type ToRelayThread = { type: 'wake' } | { type: 'stop' };
export type FromRelayThread = { type: 'ready' } | { type: 'published'; count: number } | { type: 'failed'; message: string };

const STOP_TIMEOUT_MS = 15_000;

/**
 * Runs the outbox publisher (OutboxPublisher) on a thread of its own. Publishing costs CPU per
 * event (claiming rows, encoding each message, reading each JetStream ack): on the request thread
 * that was about a tenth of a busy app's time, and its bursts queued the answers behind them.
 *
 * This side wakes the thread when a transaction that wrote to the outbox commits (the thread also
 * polls), counts what it published, and starts a new thread if one dies (after a pause that
 * grows while they keep dying). Shutdown lets the round under way finish.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger('outbox');
  private worker?: Worker;
  private stopping = false;
  private wakeQueued = false;
  private restartDelayMs = 0;
  private restartTimer?: NodeJS.Timeout;
  private ready = false;

  constructor(
    private readonly db: DataSource,
    private readonly metrics: MessagingMetrics,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
    @Inject(APP_DEFINITION) private readonly definition: OneCardAppDefinition,
  ) {}

  /** The relay thread, while one runs (operators' diagnostics, tests). */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** A relay thread is up (the health check reports it). */
  get isRunning(): boolean {
    return this.ready && !!this.worker;
  }

  onApplicationBootstrap(): void {
    this.db.subscribers.push(this);
    this.startThread();
  }

  /** TypeORM commit hook: a transaction that wrote to the outbox wakes the relay. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.[OUTBOX_WRITTEN]) {
      event.queryRunner.data[OUTBOX_WRITTEN] = false;
      this.wake();
    }
  }

  /** Asks the thread for a round now; commits in one turn of the event loop make one message. */
  wake(): void {
    if (this.wakeQueued || !this.worker) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.worker?.postMessage({ type: 'wake' } satisfies ToRelayThread);
    });
  }

  /** Events not yet published (the `onecard_outbox_backlog` gauge). */
  async backlog(): Promise<number> {
    const [row] = await this.db.query(`SELECT ${OUTBOX_BACKLOG_SQL} AS n FROM outbox WHERE published_at IS NULL`);
    return row.n;
  }

  private startThread(): void {
    if (this.stopping) return;
    const data: RelayThreadData = {
      app: this.definition.name,
      schema: this.config.DB_SCHEMA ?? this.definition.defaultSchema,
      settings: {
        DATABASE_URL: this.config.DATABASE_URL,
        DB_CONNECT_TIMEOUT_MS: this.config.DB_CONNECT_TIMEOUT_MS,
        DB_STATEMENT_TIMEOUT_MS: this.config.DB_STATEMENT_TIMEOUT_MS,
        NATS_URL: this.config.NATS_URL,
        NATS_STREAM: this.config.NATS_STREAM,
        NATS_STREAM_REPLICAS: this.config.NATS_STREAM_REPLICAS,
        NATS_SUBJECT_PREFIX: this.config.NATS_SUBJECT_PREFIX,
        NATS_PING_INTERVAL_MS: this.config.NATS_PING_INTERVAL_MS,
        OUTBOX_POLL_MS: this.config.OUTBOX_POLL_MS,
        LOG_LEVEL: this.config.LOG_LEVEL,
      },
    };
    const worker = relayWorker(data);
    this.worker = worker;
    let failure: string | undefined;
    worker.on('message', (message: FromRelayThread) => {
      switch (message.type) {
        case 'published':
          this.metrics.published(message.count);
          break;
        case 'ready':
          this.ready = true;
          this.restartDelayMs = 0;
          break;
        case 'failed':
          failure = message.message;
          break;
      }
    });
    worker.on('error', (error) => (failure = error.message));
    worker.on('exit', () => {
      this.ready = false;
      if (this.worker === worker) this.worker = undefined;
      if (this.stopping) return;
      this.restartDelayMs = Math.min(Math.max(this.restartDelayMs * 2, 500), 10_000);
      this.logger.error(`relay thread stopped (${failure ?? 'exited'}); starting another in ${this.restartDelayMs} ms, events wait in the outbox`);
      this.restartTimer = setTimeout(() => {
        this.metrics.relayRestarted();
        this.startThread();
      }, this.restartDelayMs);
    });
  }

  /** Before any provider shuts down: stop the thread after its round under way. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const i = this.db.subscribers.indexOf(this);
    if (i >= 0) this.db.subscribers.splice(i, 1);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToRelayThread);
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The thread, from the built JavaScript; from TypeScript sources (the test runner) through
 * @swc-node/register, a development dependency.
 */
function relayWorker(workerData: RelayThreadData): Worker {
  const fromSources = __filename.endsWith('.ts');
  const entry = join(__dirname, `outbox-relay.thread.${fromSources ? 'ts' : 'js'}`);
  if (!fromSources) return new Worker(entry, { workerData });
  return new Worker(`require('@swc-node/register'); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
