import { connect, ConsumerMessages, DeliverPolicy, NatsConnection } from 'nats';
import { EventSubject, Events, subjectOwner } from '@onecard/contracts';
import { AppLogger } from '@onecard/kernel';
import { OperatorConsoleConfig } from '../config';

/** What keeps the fleet and stock views live (docs/ADMIN-API.md): devices' and kiosks' status, low stock. */
export const LIVE_SUBJECTS: readonly EventSubject[] = [Events.DeviceStatusChanged, Events.MachineStatusChanged, Events.MachineStockLow, Events.TerminalStatusChanged];

/** One event as the console's live feed sends it. */
export interface LiveEvent {
  subject: EventSubject;
  app: string;
  /** The event's sequence in the stream. */
  seq: number;
  /** The event as published (its JSON), or its text when it is not JSON. */
  event: unknown;
}

type Listener = (event: LiveEvent) => void;

/**
 * Reads LIVE_SUBJECTS from the ONECARD stream with ephemeral ordered consumers (no acks, kept in
 * memory by the server, gone when the console is), one per subject (a 2.9 server takes one filter
 * per consumer), starting at new messages, and hands each event to every listener. The apps'
 * durable consumers are never touched: the console takes nothing from them.
 */
export class LiveFeed {
  private nc?: NatsConnection;
  private readonly listeners = new Set<Listener>();
  private readonly reading: ConsumerMessages[] = [];
  private closed = false;
  private markReady!: () => void;
  /** Resolves once every consumer reads: events published after it reach the listeners. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly config: OperatorConsoleConfig,
    private readonly logger: AppLogger,
  ) {}

  /** Connects in the background (NATS away at start-up: it keeps trying; the views over HTTP do not need it). */
  start(): void {
    void this.run().catch((error: unknown) => this.logger.error({ err: (error as Error).message }, 'live feed stopped'));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const messages of this.reading) messages.stop();
    await this.nc?.close().catch(() => undefined);
  }

  private async run(): Promise<void> {
    this.nc = await connect({
      servers: this.config.NATS_URL.split(',').map((s) => s.trim()),
      name: 'operator-console',
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      pingInterval: this.config.NATS_PING_INTERVAL_MS,
    });
    if (this.closed) return void (await this.nc.close());
    await Promise.all(LIVE_SUBJECTS.map((subject) => this.follow(subject)));
    this.logger.info({ subjects: LIVE_SUBJECTS.length }, 'live feed reading');
    this.markReady();
  }

  /** Starts one subject's ordered consumer, waiting for the stream while the apps have not made it yet. */
  private async follow(subject: EventSubject): Promise<void> {
    const js = this.nc!.jetstream();
    for (let attempt = 1; ; attempt++) {
      try {
        const consumer = await js.consumers.get(this.config.NATS_STREAM, { filterSubjects: `${this.config.NATS_SUBJECT_PREFIX}${subject}`, deliver_policy: DeliverPolicy.New });
        const messages = await consumer.consume();
        this.reading.push(messages);
        void this.pump(subject, messages);
        return;
      } catch (error) {
        if (this.closed) return;
        // Said once per subject: before the apps have made the stream this repeats every 2 s.
        this.logger[attempt === 1 ? 'warn' : 'debug']({ subject, err: (error as Error).message }, 'live feed: cannot read the stream yet, retrying');
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  private async pump(subject: EventSubject, messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      let event: unknown;
      try {
        event = m.json();
      } catch {
        event = m.string();
      }
      const live: LiveEvent = { subject, app: subjectOwner(subject), seq: m.seq, event };
      for (const listener of this.listeners) listener(live);
    }
  }
}
