import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';
import { TransitValidationConfig } from '../config';

/** What changed, as announced to every replica. */
export type ChangeTopic = 'whitelist' | 'qr' | 'device' | 'line';
type Listener = (detail: string) => void;

/**
 * Cross-replica cache invalidation over Postgres LISTEN/NOTIFY. A change announces itself with
 * `notify(manager, topic)` inside its own transaction, so the notice is delivered on commit
 * (never for a rolled-back change) to every replica, this one included. Caches also poll on a
 * timer, so a notice lost while the listening connection was down only delays them.
 * The channel is the app's schema: apps and test schemas sharing a database do not meet.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('change-feed');
  private readonly listeners = new Map<ChangeTopic, Listener[]>();
  private client?: Client;
  private closing = false;
  private retry?: NodeJS.Timeout;
  readonly channel: string;

  constructor(private readonly config: TransitValidationConfig) {
    this.channel = config.DB_SCHEMA ?? 'transit_validation';
  }

  on(topic: ChangeTopic, listener: Listener): void {
    this.listeners.set(topic, [...(this.listeners.get(topic) ?? []), listener]);
  }

  /** Announces a change; delivered when `manager`'s transaction commits. */
  async notify(manager: EntityManager, topic: ChangeTopic, detail = ''): Promise<void> {
    await manager.query(`SELECT pg_notify($1, $2)`, [this.channel, `${topic}:${detail}`]);
  }

  async onModuleInit(): Promise<void> {
    await this.connect().catch((error) => this.scheduleReconnect(error as Error));
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'transit-validation-listen' });
    client.on('error', (error) => this.scheduleReconnect(error));
    client.on('end', () => this.scheduleReconnect(new Error('connection ended')));
    client.on('notification', (n) => {
      if (n.channel !== this.channel || !n.payload) return;
      const i = n.payload.indexOf(':');
      const topic = n.payload.slice(0, i) as ChangeTopic;
      for (const listener of this.listeners.get(topic) ?? []) listener(n.payload.slice(i + 1));
    });
    await client.connect();
    await client.query(`LISTEN "${this.channel}"`);
    this.client = client;
    // Anything announced while we were away: every cache re-reads.
    for (const [topic, listeners] of this.listeners) for (const l of listeners) l(topic === 'device' ? '*' : '');
  }

  private scheduleReconnect(error: Error): void {
    const dead = this.client;
    this.client = undefined;
    dead?.removeAllListeners();
    void dead?.end().catch(() => undefined);
    if (this.closing || this.retry) return;
    this.logger.warn(`LISTEN connection lost (${error.message}); caches fall back to polling until it is back`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect().catch((e) => this.scheduleReconnect(e as Error));
    }, 2000);
    this.retry.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    await client?.end().catch(() => undefined);
  }
}
