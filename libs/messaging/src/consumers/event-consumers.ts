import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg, NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { EventContracts, EventSubject } from '@onecard/contracts';
import { APP_DEFINITION, firstInvalidField, PLATFORM_CONFIG, unstorableText } from '@onecard/kernel';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { EventHandler, HANDLES_EVENT } from './handles-event.decorator';
import { MessagingMetrics } from '../messaging-metrics';
import { NatsConnectionService } from '../nats/nats-connection.service';

interface Registration {
  subject: EventSubject;
  durable: string;
  handler: EventHandler<EventSubject>;
}

/** Consumer name per app and subject, shared by the app's replicas (dots are not allowed). */
export function durableName(app: string, subject: string): string {
  return `${app}__${subject.replace(/[.>*]/g, '_')}`;
}

/**
 * Durable pull consumers, one per app and subject. Each message is validated like an HTTP body,
 * recorded in the inbox and applied in one transaction, then acked: a redelivery is applied once.
 */
@Injectable()
export class EventConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('consumers');
  private readonly registrations: Registration[] = [];
  private readonly running: ConsumerMessages[] = [];
  private stopped = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly db: DataSource,
    private readonly nats: NatsConnectionService,
    private readonly metrics: MessagingMetrics,
    @Inject(APP_DEFINITION) private readonly definition: OneCardAppDefinition,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const subject = this.reflector.get<EventSubject | undefined>(HANDLES_EVENT, instance[method] as () => void);
        if (!subject) continue;
        const handler = (instance[method] as EventHandler<EventSubject>).bind(instance);
        this.registrations.push({ subject, durable: durableName(this.definition.name, subject), handler });
      }
    }
    if (this.registrations.length > 0) this.nats.onConnected((nc) => this.startAll(nc));
  }

  private async startAll(nc: NatsConnection): Promise<void> {
    await this.nats.ensureStream();
    const jsm = await nc.jetstreamManager();
    const js = nc.jetstream();
    for (const r of this.registrations) {
      const filter = this.nats.subject(r.subject);
      await jsm.consumers
        .add(this.config.NATS_STREAM, {
          durable_name: r.durable,
          filter_subject: filter,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: 30e9,
          max_ack_pending: 1,
        })
        .catch(async (error) => {
          // Exists already (another replica, or an earlier run): fine if it is ours.
          await jsm.consumers.info(this.config.NATS_STREAM, r.durable).catch(() => {
            throw error;
          });
        });
      const consumer = await js.consumers.get(this.config.NATS_STREAM, r.durable);
      const messages = await consumer.consume({ max_messages: 64 });
      this.running.push(messages);
      void this.loop(r, messages);
    }
  }

  private async loop(r: Registration, messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      if (this.stopped) break;
      await this.handle(r, msg);
    }
  }

  private async handle(r: Registration, msg: JsMsg): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(msg.string());
    } catch {
      this.reject(r, msg, 'message is not JSON');
      return;
    }
    // Text Postgres cannot store (NUL, a lone surrogate) would fail the handler's SQL on every redelivery.
    const unstorable = unstorableText(body);
    if (unstorable) {
      this.reject(r, msg, `${unstorable.field || 'message'}: ${unstorable.problem}`);
      return;
    }
    const event = plainToInstance(EventContracts[r.subject] as new () => object, body);
    const errors = await validate(event, { forbidUnknownValues: true });
    if (errors.length > 0 || typeof body !== 'object' || body === null) {
      this.reject(r, msg, errors.length ? firstInvalidField(errors).message : 'message is not an object');
      return;
    }
    try {
      const applied = await this.db.transaction(async (manager) => {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO inbox (event_id, consumer, subject) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
          [(event as { eventId: string }).eventId, r.durable, r.subject],
        );
        if (inserted.length === 0) return false;
        await r.handler(event as never, manager);
        return true;
      });
      msg.ack();
      this.metrics.consumed(r.subject, applied ? 'applied' : 'duplicate');
    } catch (error) {
      const delay = Math.min(1000 * 2 ** Math.min(msg.info.redeliveryCount, 5), 30_000);
      this.logger.warn(`${r.subject} #${msg.seq} failed (retry in ${delay} ms): ${(error as Error).message}`);
      this.metrics.consumed(r.subject, 'failed');
      msg.nak(delay);
    }
  }

  /** An invalid message can never succeed: terminate it rather than redeliver forever. */
  private reject(r: Registration, msg: JsMsg, reason: string): void {
    this.logger.error(`${r.subject} #${msg.seq} rejected: ${reason}`);
    this.metrics.consumed(r.subject, 'rejected');
    msg.term();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.map((m) => m.close().catch(() => undefined)));
  }
}
