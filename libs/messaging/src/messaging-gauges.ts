import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '@onecard/kernel';
import { DeadLetters } from './consumers/dead-letters';
import { NatsConnectionService } from './nats/nats-connection.service';
import { OutboxRelay } from './outbox/outbox-relay';

/** Gauges read at scrape time: outbox backlog, NATS connection state, open dead letters. */
@Injectable()
export class MessagingGauges implements OnModuleInit {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly relay: OutboxRelay,
    private readonly nats: NatsConnectionService,
    private readonly letters: DeadLetters,
  ) {}

  onModuleInit(): void {
    const relay = this.relay;
    const nats = this.nats;
    const letters = this.letters;
    this.registry.gauge('onecard_outbox_backlog', 'Outbox events not yet published', async function () {
      this.set(await relay.backlog().catch(() => -1));
    });
    this.registry.gauge('onecard_nats_connected', '1 when the NATS connection is up', function () {
      this.set(nats.isConnected ? 1 : 0);
    });
    this.registry.gauge('onecard_events_dead_letters', 'Events consumers gave up on, not yet replayed (GET /admin/events?status=dead)', async function () {
      this.set(await letters.open().catch(() => -1));
    });
  }
}
