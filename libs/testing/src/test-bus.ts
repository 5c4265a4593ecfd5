import { randomBytes, randomUUID } from 'node:crypto';
import { connect, NatsConnection, StorageType, Subscription } from 'nats';
import { AppName, EventMessage, EventPayload, Events, EventSubject } from '@onecard/contracts';

export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Events seen on one subject since the collector started. */
export class EventCollector<S extends EventSubject> {
  readonly events: EventMessage<S>[] = [];
  private waiters: Array<() => void> = [];

  constructor(private readonly sub: Subscription) {
    void (async () => {
      for await (const msg of sub) {
        this.events.push(JSON.parse(msg.string()) as EventMessage<S>);
        for (const w of this.waiters.splice(0)) w();
      }
    })();
  }

  /** Resolves once `count` events have arrived; rejects after `timeoutMs`. */
  async waitFor(count = 1, timeoutMs = 10_000): Promise<EventMessage<S>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} event(s), saw ${this.events.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.events;
  }

  /** Waits `ms` and returns what arrived: for asserting that nothing more came. */
  async settle(ms = 500): Promise<EventMessage<S>[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.events;
  }

  stop(): void {
    this.sub.unsubscribe();
  }
}

/**
 * A private slice of the real NATS for one test file: its own subject prefix and JetStream
 * stream, so test files running in parallel never see each other's events or consumers.
 */
export interface TestBusOptions {
  /** The NATS the bus and its apps use (a cluster's nodes comma-separated); TEST_NATS_URL otherwise. */
  url?: string;
  /**
   * false: the apps create the stream, as in production (NATS_STREAM_REPLICAS and all); publish
   * only once one has. By default the bus makes it up front, in memory, on one server.
   */
  createStream?: boolean;
}

export class TestBus {
  readonly id = randomBytes(4).toString('hex');
  readonly prefix = `t${this.id}.`;
  readonly stream = `ONECARD_T${this.id.toUpperCase()}`;
  private constructor(
    readonly nc: NatsConnection,
    readonly url: string,
  ) {}

  static async create(options: TestBusOptions = {}): Promise<TestBus> {
    const url = options.url ?? TEST_NATS_URL;
    const bus = new TestBus(await connect({ servers: url.split(','), name: 'onecard-test' }), url);
    if (options.createStream === false) return bus;
    // Same shape the apps create, made up front so a test can publish before any app has.
    const jsm = await bus.nc.jetstreamManager();
    await jsm.streams.add({ name: bus.stream, subjects: Object.values(Events).map((s) => `${bus.prefix}${s}`), storage: StorageType.Memory, duplicate_window: 10 * 60 * 1e9 });
    return bus;
  }

  /** Environment that points an app at this bus. */
  get env(): Record<string, string> {
    return { NATS_URL: this.url, NATS_STREAM: this.stream, NATS_SUBJECT_PREFIX: this.prefix };
  }

  collect<S extends EventSubject>(subject: S): EventCollector<S> {
    return new EventCollector<S>(this.nc.subscribe(`${this.prefix}${subject}`));
  }

  /** Publishes an event as another service's relay would (to the stream, with a Nats-Msg-Id). */
  async publish<S extends EventSubject>(subject: S, payload: EventPayload<S>, meta: Partial<{ eventId: string; producer: AppName }> = {}): Promise<EventMessage<S>> {
    const message = {
      eventId: meta.eventId ?? randomUUID(),
      occurredAt: new Date().toISOString(),
      producer: meta.producer ?? (subject.split('.')[1] as AppName),
      ...payload,
    } as EventMessage<S>;
    await this.nc.jetstream().publish(`${this.prefix}${subject}`, JSON.stringify(message), { msgID: message.eventId });
    return message;
  }

  /**
   * Stores a body on the stream without a Nats-Msg-Id: publishing the same event twice this way
   * is a redelivery the stream cannot deduplicate, which only the consumer's inbox can catch.
   * Also for malformed-message tests.
   */
  async publishRaw(subject: string, body: unknown): Promise<void> {
    await this.nc.jetstream().publish(`${this.prefix}${subject}`, typeof body === 'string' ? body : JSON.stringify(body));
  }

  /** Every message stored in this bus's stream on `subject`, in order. */
  async stored<S extends EventSubject>(subject: S): Promise<EventMessage<S>[]> {
    const jsm = await this.nc.jetstreamManager();
    const out: EventMessage<S>[] = [];
    const info = await jsm.streams.info(this.stream).catch(() => undefined);
    if (!info) return out;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
      const m = await jsm.streams.getMessage(this.stream, { seq }).catch(() => undefined);
      if (m && m.subject === `${this.prefix}${subject}`) out.push(m.json<EventMessage<S>>());
    }
    return out;
  }

  async close(): Promise<void> {
    const jsm = await this.nc.jetstreamManager().catch(() => undefined);
    await jsm?.streams.delete(this.stream).catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
  }
}
