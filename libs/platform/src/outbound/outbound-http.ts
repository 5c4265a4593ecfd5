import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from '@onecard/kernel';
import { OutboundClient, OutboundMetrics } from './outbound-client';
import type { OutboundClientOptions } from './outbound-types';

/**
 * Makes the app's clients of remote HTTP APIs (see OutboundClient), all counted in
 * `onecard_outbound_requests_total{client,outcome}` (one per attempt) and
 * `onecard_outbound_request_duration_seconds{client}`. A provider makes its client once, in its
 * constructor: `this.tuya = outbound.client('tuya', { baseUrl, sign })`.
 */
@Injectable()
export class OutboundHttp implements OnApplicationShutdown {
  private readonly clients = new Map<string, OutboundClient>();
  private readonly metrics: OutboundMetrics;

  constructor(registry: MetricsRegistry) {
    this.metrics = {
      requests: registry.counter('onecard_outbound_requests_total', 'Outbound HTTP attempts by client and outcome', ['client', 'outcome']),
      duration: new Histogram({
        name: 'onecard_outbound_request_duration_seconds',
        help: 'Outbound HTTP attempt latency by client, answer read in full',
        labelNames: ['client'],
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry.registry],
      }),
    };
  }

  /** A client named for its metrics and logs (`tuya`, `supervision-platform`); one per name. */
  client(name: string, options: OutboundClientOptions): OutboundClient {
    if (this.clients.has(name)) throw new Error(`outbound client "${name}" already exists: make it once and share it`);
    const client = new OutboundClient(name, options, this.metrics);
    this.clients.set(name, client);
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }
}
