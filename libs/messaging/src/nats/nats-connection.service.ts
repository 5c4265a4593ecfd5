import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { Events } from '@onecard/contracts';
import type { BaseConfig } from '@onecard/kernel';
// The light entry point: the outbox relay thread loads this file too.
import { APP_DEFINITION, PLATFORM_CONFIG } from '@onecard/kernel/tokens';
import { ensureEventStream } from './event-stream';

type Listener = (nc: NatsConnection) => void | Promise<void>;

/** What a connection needs to know (the relay thread passes just these). */
export type NatsSettings = Pick<BaseConfig, 'NATS_URL' | 'NATS_STREAM' | 'NATS_STREAM_REPLICAS' | 'NATS_SUBJECT_PREFIX' | 'NATS_PING_INTERVAL_MS'>;

/**
 * The app's one NATS connection (core request/reply and JetStream). It is opened in the
 * background and retried forever: an app boots and serves HTTP while NATS is away, and
 * whatever needs NATS starts when it arrives.
 */
@Injectable()
export class NatsConnectionService implements OnApplicationShutdown {
  private readonly logger = new Logger('nats');
  private nc?: NatsConnection;
  private connected = false;
  private closing = false;
  private readonly listeners: Listener[] = [];
  private streamReady?: Promise<void>;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: NatsSettings,
    // Only its name, shown to the server as the connection's name.
    @Inject(APP_DEFINITION) private readonly definition: { name: string },
  ) {}

  /** Prefixes a contract subject for this deployment (empty prefix in production). */
  subject(subject: string): string {
    return `${this.config.NATS_SUBJECT_PREFIX}${subject}`;
  }

  get isConnected(): boolean {
    return this.connected && !!this.nc && !this.nc.isClosed();
  }

  get connection(): NatsConnection | undefined {
    return this.nc;
  }

  jetstream(): JetStreamClient {
    if (!this.nc) throw new Error('NATS is not connected');
    return this.nc.jetstream();
  }

  /** Runs `listener` once connected (at once if already connected). */
  onConnected(listener: Listener): void {
    this.listeners.push(listener);
    if (this.nc && this.connected) void this.run(listener, this.nc);
  }

  /** Starts connecting; resolves immediately. */
  start(): void {
    void this.connectLoop();
  }

  private async connectLoop(): Promise<void> {
    let delay = 250;
    while (!this.closing && !this.nc) {
      try {
        const nc = await connect({
          // A cluster's nodes, comma-separated; the client also learns the others from any node it
          // reaches, and picks among them at random, so an app's replicas spread over the nodes.
          servers: this.config.NATS_URL.split(','),
          name: this.definition.name,
          // A lost node (or all of them, for a while) is never given up on: the client moves to
          // another node at once and keeps trying the rest. The first connection is this loop's
          // to retry (it logs each failure), hence no waitOnFirstConnect.
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          // A server that stops answering (paused, partitioned) keeps the socket open: only pings
          // find it. Two unanswered make the connection stale: /health says so within three intervals.
          pingInterval: this.config.NATS_PING_INTERVAL_MS,
          maxPingOut: 2,
          // Each attempt to reach a server that accepts but never answers is given up this soon.
          timeout: 5000,
          // Otherwise every request (each outbox publish, each rpc call) captures two stack traces
          // up front in case it fails: ~20 % of the relay's CPU. Failures still say what failed.
          noAsyncTraces: true,
        });
        if (this.closing) {
          await nc.close();
          return;
        }
        this.nc = nc;
        this.connected = true;
        this.logger.log(`connected to ${nc.getServer()}`);
        void this.watch(nc);
        for (const listener of this.listeners) void this.run(listener, nc);
      } catch (error) {
        this.logger.warn(`cannot reach NATS_URL (${(error as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'staleConnection') {
        // Reported before the client drops the connection; not connected from now on.
        this.connected = false;
        this.logger.warn('NATS stopped answering pings; reconnecting, events wait in the outbox');
      } else if (status.type === 'disconnect') {
        this.connected = false;
        this.logger.warn('disconnected from NATS; events wait in the outbox');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        // On a cluster, usually another node than before: which one is worth a line.
        this.logger.log(`reconnected to NATS at ${nc.getServer()}`);
      }
    }
  }

  private async run(listener: Listener, nc: NatsConnection): Promise<void> {
    try {
      await listener(nc);
    } catch (error) {
      this.logger.error(`NATS start-up task failed: ${(error as Error).message}`);
    }
  }

  /** Creates the events stream if absent (every app may race to do so; all agree on its shape). */
  ensureStream(): Promise<void> {
    this.streamReady ??= this.createStream().catch((error) => {
      this.streamReady = undefined;
      throw error;
    });
    return this.streamReady;
  }

  /**
   * The stream lists every event subject explicitly: a wildcard would also capture the rpc
   * subjects (`onecard.<app>.rpc.*`) and answer requests with stream acks. New subjects from a
   * newer contracts version are added to an existing stream, and its replicas raised to
   * NATS_STREAM_REPLICAS (see ensureEventStream).
   */
  private async createStream(): Promise<void> {
    const jsm: JetStreamManager = await this.nc!.jetstreamManager();
    const subjects = Object.values(Events).map((s) => this.subject(s));
    await ensureEventStream(jsm, { name: this.config.NATS_STREAM, subjects, replicas: this.config.NATS_STREAM_REPLICAS }, this.logger);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    const nc = this.nc;
    const wasConnected = this.connected;
    this.nc = undefined;
    this.connected = false;
    if (!nc || nc.isClosed()) return;
    // Draining needs the server: cut off, it would leave the client's reconnect timers running.
    if (wasConnected) await Promise.race([nc.drain(), new Promise((r) => setTimeout(r, 5000).unref())]).catch(() => undefined);
    if (!nc.isClosed()) await nc.close().catch(() => undefined);
  }
}
