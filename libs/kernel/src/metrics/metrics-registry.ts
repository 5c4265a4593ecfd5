import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { APP_DEFINITION } from '../app/tokens';

/**
 * The app's own Prometheus registry (not prom-client's global one, so several apps can live in
 * one test process). Features add their metrics through it.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  /** `definition`: the app's (APP_DEFINITION), or anything named that runs outside an app, such as the operator console. */
  constructor(@Inject(APP_DEFINITION) definition: { name: string }) {
    this.registry.setDefaultLabels({ app: definition.name });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, collect?: (this: Gauge<L>) => Promise<void> | void, labelNames: L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry], collect });
  }
}
