import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { PLATFORM_CONFIG } from '@onecard/kernel';
import type { BaseConfig } from '@onecard/kernel';
import { MessagingMetrics } from '../messaging-metrics';
import { NatsConnectionService } from '../nats/nats-connection.service';
import { claimedEventId, decodeEvent } from './event-decoding';
import { EventHandlers, RegisteredHandler } from './event-handlers';
import { DeadLetterReason, DeadLetters } from './dead-letters';
import { Applied, Inbox } from './inbox';
import { retryDelay } from './retry-delay';

/** A delivery not acked within this is given to another replica; a running handler keeps extending it. */
const ACK_WAIT_MS = 30_000;
const WORKING_EVERY_MS = 10_000;
/** How long shutdown waits for handlers already running. */
const DRAIN_MS = 10_000;
/**
 * How a consumer pulls. The server answers a waiting pull with an idle heartbeat every second;
 * two missed and the client pulls again. On a cluster, when the node leading a consumer dies,
 * its waiting pulls die with it and nothing tells the client: with the library's defaults (30 s
 * pulls, 15 s heartbeats, then a consumer info that fails while JetStream elects a new leader and
 * a backoff of a whole pull) events stood still for over 30 s after a node was killed on a
 * three-node cluster (tools/e2e/jetstream-cluster.e2e-spec.ts failed 2 runs of 3). `bind` re-pulls
 * without that info call (the consumer is ours, ensured just before), so a lost leader costs the
 * election (4–9 s on nats-server 2.9) and a second or two.
 */
const PULL = { expires: 10_000, idle_heartbeat: 1000, bind: true } as const;

/** A reply to JetStream on a connection already closing: unanswered, the message comes back after the ack wait anyway. */
function quietly(reply: () => void): void {
  try {
    reply();
  } catch {
    // See above.
  }
}

/**
 * Durable pull consumers, one per app and subject, shared by the app's replicas. Each message is
 * validated, applied once through the inbox and acked. A failing handler gets the event again
 * after a growing wait (`nak(delay)`) until JetStream's own delivery count reaches the handler's
 * `maxDeliveries`; then, as for an invalid message at once, a dead letter is recorded and the
 * message terminated. The count lives in the server's consumer state, so it holds whichever
 * replica gets each delivery and across restarts.
 *
 * Why not the consumer's `max_deliver` + `backoff`: after the last delivery the server drops the
 * message with only an advisory on core NATS, lost if no replica listens at that moment (or the
 * database is away then), so a dead letter could go missing. Here no message leaves JetStream
 * before its dead letter is committed, and the waits stay a setting of the app, not of each
 * consumer stored in the server.
 */
@Injectable()
export class EventConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('consumers');
  private readonly running: Array<{ messages: ConsumerMessages; done: Promise<void> }> = [];
  /** Durable consumers taking messages in this process (a start tried again skips them). */
  private readonly started = new Set<string>();
  private stopped = false;

  constructor(
    private readonly handlers: EventHandlers,
    private readonly inbox: Inbox,
    private readonly letters: DeadLetters,
    private readonly nats: NatsConnectionService,
    private readonly metrics: MessagingMetrics,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.handlers.all().length > 0) this.nats.onConnected((nc) => this.startWhenReady(nc));
  }

  /**
   * A server that takes the connection may have no JetStream to offer yet: a cluster electing
   * its leaders, or short of a quorum (two nodes of three away). Starting is tried again until
   * it works; tried once, one failure left the app without consumers until it was restarted.
   */
  private async startWhenReady(nc: NatsConnection): Promise<void> {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        return await this.startAll(nc);
      } catch (error) {
        if (this.stopped || nc.isClosed()) return;
        this.logger.warn(`consumers not started yet: ${(error as Error).message}; trying again in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  private async startAll(nc: NatsConnection): Promise<void> {
    await this.nats.ensureStream();
    const jsm = await nc.jetstreamManager();
    const js = nc.jetstream();
    for (const h of this.handlers.all()) {
      if (this.started.has(h.consumer)) continue;
      await this.ensureConsumer(jsm, h);
      const consumer = await js.consumers.get(this.config.NATS_STREAM, h.consumer);
      const messages = await consumer.consume({ max_messages: Math.max(64, h.options.parallel), ...PULL });
      // Shutdown closes what `running` holds; one opened while it ran is closed here.
      if (this.stopped) return void (await messages.close().catch(() => undefined));
      const done = this.run(h, messages).catch((error) => this.logger.error(`${h.subject}: consumer stopped: ${(error as Error).message}`));
      this.running.push({ messages, done });
      this.started.add(h.consumer);
    }
  }

  /** `max_ack_pending` is the handler's `parallel`: the server never has more out at once, across replicas. */
  private async ensureConsumer(jsm: JetStreamManager, h: RegisteredHandler): Promise<void> {
    const stream = this.config.NATS_STREAM;
    const settings = { max_ack_pending: h.options.parallel, ack_wait: ACK_WAIT_MS * 1e6 };
    try {
      await jsm.consumers.add(stream, {
        durable_name: h.consumer,
        filter_subject: this.nats.subject(h.subject),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ...settings,
      });
    } catch (error) {
      // Exists already (another replica, or an earlier version): fine if it is ours, brought up to date.
      const info = await jsm.consumers.info(stream, h.consumer).catch(() => {
        throw error;
      });
      if (info.config.max_ack_pending !== settings.max_ack_pending || info.config.ack_wait !== settings.ack_wait) {
        await jsm.consumers.update(stream, h.consumer, settings);
      }
    }
  }

  /** Up to `parallel` handlers at once; 1 takes each message after the previous one's outcome. */
  private async run(h: RegisteredHandler, messages: ConsumerMessages): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for await (const msg of messages) {
      if (this.stopped) {
        quietly(() => msg.nak());
        continue;
      }
      const task: Promise<void> = this.handle(h, msg).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= h.options.parallel) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  private async handle(h: RegisteredHandler, msg: JsMsg): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    const text = msg.string();
    const working = setInterval(() => quietly(() => msg.working()), WORKING_EVERY_MS).unref();
    try {
      const decoded = await decodeEvent(h.subject, text);
      if (!decoded.event) return await this.deadLetter(h, msg, 'invalid', decoded.invalid, claimedEventId(text));
      const { eventId } = decoded.event;
      if (deliveries > h.options.maxDeliveries) {
        // The earlier deliveries ended without an outcome (process stopped, ack wait passed, or the
        // dead letter could not be written): the handler had its chances, unless one did commit.
        if (await this.inbox.has(h, eventId)) return this.settle(h, msg, 'duplicate');
        return await this.deadLetter(h, msg, 'unanswered', `delivered ${deliveries} times, ${h.options.maxDeliveries} allowed; no outcome recorded since (process stopped, ack wait passed or database away)`, eventId);
      }
      let outcome: Applied;
      try {
        outcome = await this.inbox.applyOnce(h, decoded.event);
      } catch (error) {
        const reason = (error as Error).message;
        if (deliveries >= h.options.maxDeliveries) return await this.deadLetter(h, msg, 'failed', reason, eventId);
        return this.retry(h, msg, `event ${eventId} failed on delivery ${deliveries} of ${h.options.maxDeliveries}: ${reason}`);
      }
      this.settle(h, msg, outcome);
    } catch (error) {
      // The database away while deciding: try again later, the delivery count still bounds it.
      this.retry(h, msg, `cannot settle: ${(error as Error).message}`);
    } finally {
      clearInterval(working);
    }
  }

  private settle(h: RegisteredHandler, msg: JsMsg, outcome: 'applied' | 'duplicate'): void {
    msg.ack();
    this.metrics.consumed(h.subject, outcome);
  }

  private retry(h: RegisteredHandler, msg: JsMsg, why: string): void {
    const delay = retryDelay(msg.info.deliveryCount, this.config.EVENT_RETRY_BASE_MS, this.config.EVENT_RETRY_MAX_MS);
    this.logger.warn(`${h.subject} #${msg.seq} ${why} (next delivery in ${delay} ms)`);
    this.metrics.consumed(h.subject, 'failed');
    quietly(() => msg.nak(delay));
  }

  /** The message leaves JetStream (term) only once its dead letter is committed. */
  private async deadLetter(h: RegisteredHandler, msg: JsMsg, reason: DeadLetterReason, error: string, eventId: string | null): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    const id = await this.letters.record({ consumer: h.consumer, subject: h.subject, eventId, message: msg.string(), streamSeq: msg.seq, deliveries, reason, error });
    msg.term();
    this.metrics.consumed(h.subject, reason === 'invalid' ? 'rejected' : 'dead');
    this.logger.error(`${h.subject} #${msg.seq} event ${eventId ?? '(none)'}: dead letter ${id} after ${deliveries} deliveries (${reason}): ${error}`);
  }

  /** Stops taking messages and lets running handlers finish while the database is still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.map((r) => r.messages.close().catch(() => undefined)));
    let timer: NodeJS.Timeout | undefined;
    const drained = Promise.all(this.running.map((r) => r.done.catch(() => undefined)));
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS).unref()))]);
    clearTimeout(timer);
  }
}
