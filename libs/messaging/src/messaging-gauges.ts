import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '@onecard/kernel';
import { NatsConnectionService } from './nats/nats-connection.service';
import { OutboxRelay } from './outbox/outbox-relay';

/** Gauges read at scrape time: outbox backlog and NATS connection state. */
@Injectable()
export class MessagingGauges implements OnModuleInit {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly relay: OutboxRelay,
    private readonly nats: NatsConnectionService,
  ) {}

  onModuleInit(): void {
    const relay = this.relay;
    const nats = this.nats;
    this.registry.gauge('onecard_outbox_backlog', 'Outbox events not yet published', async function () {
      this.set(await relay.backlog().catch(() => -1));
    });
    this.registry.gauge('onecard_nats_connected', '1 when the NATS connection is up', function () {
      this.set(nats.isConnected ? 1 : 0);
    });
  }
}
