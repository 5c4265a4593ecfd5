import { Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminController } from '../http/controllers';
import { OUTBOX_BACKLOG_SQL } from '@onecard/messaging';

/** Operators' view of the outbox: how many events wait and why the last publish failed. */
@AdminController('outbox')
export class OutboxAdminController {
  constructor(private readonly db: DataSource) {}

  @Get()
  async status(): Promise<{ backlog: number; oldestPendingAt: string | null; lastError: string | null }> {
    const [row] = await this.db.query(
      `SELECT ${OUTBOX_BACKLOG_SQL} AS backlog, min(created_at) AS oldest,
              (SELECT last_error FROM outbox WHERE published_at IS NULL AND last_error IS NOT NULL ORDER BY seq LIMIT 1) AS last_error
         FROM outbox WHERE published_at IS NULL`,
    );
    return { backlog: row.backlog, oldestPendingAt: row.oldest ? new Date(row.oldest).toISOString() : null, lastError: row.last_error };
  }
}
