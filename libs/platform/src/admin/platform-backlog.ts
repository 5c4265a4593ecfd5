import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsumerLag, NatsConnectionService, OUTBOX_BACKLOG_SQL } from '@onecard/messaging';
import { BacklogState, BacklogUnavailable } from './backlog-sources';

/** The backlogs every app has: events waiting in its outbox and for its consumers, and its dead letters. */
@Injectable()
export class PlatformBacklog {
  constructor(
    private readonly db: DataSource,
    private readonly lag: ConsumerLag,
    private readonly nats: NatsConnectionService,
  ) {}

  /** Events recorded, not yet published (NATS away, or the relay behind). */
  async outbox(): Promise<BacklogState> {
    const [row] = await this.db.query(
      `SELECT ${OUTBOX_BACKLOG_SQL} AS pending, min(created_at) AS oldest,
              (SELECT last_error FROM outbox WHERE published_at IS NULL AND last_error IS NOT NULL ORDER BY seq LIMIT 1) AS last_error
         FROM outbox WHERE published_at IS NULL`,
    );
    return { pending: row.pending, oldestAt: row.oldest, detail: { lastError: row.last_error } };
  }

  /** Events in the stream the app's consumers have not acked, per consumer. */
  async eventsPending(): Promise<BacklogState> {
    if (!this.nats.isConnected) throw new BacklogUnavailable('NATS is not connected');
    const consumers = await this.lag.read();
    const oldest = consumers.map((c) => c.oldestAt).filter((t): t is string => t !== null).sort()[0] ?? null;
    return { pending: consumers.reduce((n, c) => n + c.pending + c.ackPending, 0), oldestAt: oldest, detail: { consumers } };
  }

  /** Events the consumers gave up on, not yet replayed (`GET /admin/events?status=dead`). */
  async deadLetters(): Promise<BacklogState> {
    const [row] = await this.db.query(`SELECT count(*)::int AS pending, min(dead_at) AS oldest FROM event_dead_letter WHERE status = 'dead'`);
    return { pending: row.pending, oldestAt: row.oldest };
  }
}
