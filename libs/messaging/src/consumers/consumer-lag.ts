import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamManager, MsgRequest } from 'nats';
import { PLATFORM_CONFIG } from '@onecard/kernel';
import type { BaseConfig } from '@onecard/kernel';
import { NatsConnectionService } from '../nats/nats-connection.service';
import { EventHandlers } from './event-handlers';

/** One durable consumer's backlog, as JetStream keeps it for all the app's replicas. */
export interface ConsumerLagView {
  consumer: string;
  subject: string;
  /** Events in the stream this consumer has not been given yet. */
  pending: number;
  /** Given to a replica, not yet acked (being handled, or waiting for a retry). */
  ackPending: number;
  /** When the oldest event not yet acked was stored in the stream, ISO; null when none waits. */
  oldestAt: string | null;
}

/**
 * How far behind each of the app's `@HandlesEvent` consumers is, read from JetStream (the server
 * keeps the consumer's state, shared by the replicas). Throws when NATS is away.
 */
@Injectable()
export class ConsumerLag {
  constructor(
    private readonly handlers: EventHandlers,
    private readonly nats: NatsConnectionService,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
  ) {}

  async read(): Promise<ConsumerLagView[]> {
    const handlers = this.handlers.all();
    if (handlers.length === 0) return [];
    const nc = this.nats.connection;
    if (!nc || !this.nats.isConnected) throw new Error('NATS is not connected');
    const jsm = await nc.jetstreamManager();
    return Promise.all(handlers.map((h) => this.one(jsm, h.consumer, h.subject)));
  }

  private async one(jsm: JetStreamManager, consumer: string, subject: string): Promise<ConsumerLagView> {
    const stream = this.config.NATS_STREAM;
    const info = await jsm.consumers.info(stream, consumer).catch((error: Error) => {
      // Not made yet (this replica's consumers start once NATS is there): nothing handed out yet.
      if (/consumer not found/i.test(error.message)) return undefined;
      throw error;
    });
    if (!info) return { consumer, subject, pending: 0, ackPending: 0, oldestAt: null };
    const pending = info.num_pending;
    const ackPending = info.num_ack_pending;
    let oldestAt: string | null = null;
    if (pending + ackPending > 0) {
      // The first message of this consumer's subject after its ack floor is the oldest not acked.
      // STREAM.MSG.GET takes `seq` with `next_by_subj` (server 2.9+); nats.js types it only for the direct API.
      const query = { seq: info.ack_floor.stream_seq + 1, next_by_subj: this.nats.subject(subject) } as unknown as MsgRequest;
      const next = await jsm.streams.getMessage(stream, query).catch(() => undefined);
      oldestAt = next ? next.time.toISOString() : null;
    }
    return { consumer, subject, pending, ackPending, oldestAt };
  }
}
