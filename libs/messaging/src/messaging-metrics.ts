import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@onecard/kernel';

/** Counters of the messaging layer; the gauges (backlog, connection) are registered in MessagingGauges. */
@Injectable()
export class MessagingMetrics {
  private readonly publishedTotal: Counter;
  private readonly consumedTotal: Counter<'subject' | 'result'>;
  private readonly relayRestartsTotal: Counter;

  constructor(registry: MetricsRegistry) {
    this.publishedTotal = registry.counter('onecard_events_published_total', 'Events published from the outbox');
    this.consumedTotal = registry.counter('onecard_events_consumed_total', 'Events handled by durable consumers', ['subject', 'result']);
    this.relayRestartsTotal = registry.counter('onecard_outbox_relay_restarts_total', 'Outbox relay threads started again after one died');
  }

  published(n: number): void {
    this.publishedTotal.inc(n);
  }

  relayRestarted(): void {
    this.relayRestartsTotal.inc();
  }

  /**
   * applied / duplicate (the inbox had it) / failed (to be delivered again) / dead (a dead letter
   * after the last allowed delivery) / rejected (invalid: a dead letter at once).
   */
  consumed(subject: string, result: 'applied' | 'duplicate' | 'failed' | 'dead' | 'rejected'): void {
    this.consumedTotal.inc({ subject, result });
  }
}
