import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@onecard/kernel';
import { BacklogSources, HealthIndicators } from '@onecard/platform';
import { BatchWriter, BatchWriterOptions } from './batch-writer';
import { DeadRows } from './dead-rows';

/**
 * Makes the app's batched writers, each wired the same way: rows Postgres refuses go to
 * `dead_row`; failures are counted by reason; pending rows are a gauge and, with the age of the
 * oldest, `<name>_writer` on /admin/backlog (this replica's queue); and a writer that cannot
 * write is on /health as `<name>_writer`.
 */
@Injectable()
export class BatchWriters {
  private readonly writers: Array<BatchWriter<unknown>> = [];
  private readonly failures;
  private readonly dead;

  constructor(
    private readonly deadRows: DeadRows,
    private readonly health: HealthIndicators,
    private readonly backlog: BacklogSources,
    metrics: MetricsRegistry,
  ) {
    this.failures = metrics.counter('transit_batch_writer_failures_total', 'Failed batch writes (each split of a batch counts), by writer and reason (SQLSTATE or socket error)', ['writer', 'reason']);
    this.dead = metrics.counter('transit_batch_writer_dead_rows_total', 'Rows set aside as dead (Postgres refused them for their data), by writer', ['writer']);
    const writers = this.writers;
    metrics.gauge('transit_batch_writer_pending', 'Rows answered, not yet written, by writer', function () {
      for (const w of writers) this.set({ writer: w.name }, w.pending);
    }, ['writer']);
    metrics.gauge('transit_batch_writer_healthy', '1 while the writer writes, 0 once writes keep failing (see /health)', function () {
      for (const w of writers) this.set({ writer: w.name }, w.problem() === undefined ? 1 : 0);
    }, ['writer']);
  }

  create<T>(options: Omit<BatchWriterOptions<T>, 'bury' | 'onFailure'>): BatchWriter<T> {
    const writer = new BatchWriter<T>({
      ...options,
      bury: async (rows, reason) => {
        await this.deadRows.bury(options.name, rows, reason);
        this.dead.inc({ writer: options.name }, rows.length);
      },
      onFailure: (reason) => this.failures.inc({ writer: options.name, reason }),
    });
    this.writers.push(writer as BatchWriter<unknown>);
    this.health.register(`${options.name}_writer`, () => {
      const problem = writer.problem();
      return problem === undefined ? { up: true } : { up: false, detail: { message: problem } };
    });
    this.backlog.register(`${options.name}_writer`, () => ({ pending: writer.pending, oldestAt: writer.oldestQueuedAt === undefined ? null : new Date(writer.oldestQueuedAt) }), { scope: 'replica' });
    return writer;
  }
}
