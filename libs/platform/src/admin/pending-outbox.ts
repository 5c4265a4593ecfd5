import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PageWindow } from './admin-page';

/** An outbox row the relay has not finished publishing, as operators see it (never its message). */
export interface PendingOutboxRow {
  seq: number;
  id: string;
  subject: string;
  /** Events the row holds (a batched writer's row holds many) and how many of them the stream already has. */
  events: number;
  published: number;
  createdAt: string;
  attempts: number;
  lastError: string | null;
}

/** `GET /admin/outbox`: the rows waiting, in the order the relay publishes them (oldest first). */
@Injectable()
export class PendingOutbox {
  constructor(private readonly db: DataSource) {}

  async list(subject: string | undefined, window: PageWindow): Promise<{ total: number; items: PendingOutboxRow[] }> {
    const where = `published_at IS NULL AND ($1::text IS NULL OR subject = $1)`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM outbox WHERE ${where}`, [subject ?? null]);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT seq, id, subject, coalesce(batch_size, 1) AS events, published_count, created_at, attempts, last_error
         FROM outbox WHERE ${where} ORDER BY seq LIMIT $2 OFFSET $3`,
      [subject ?? null, window.limit, window.offset],
    );
    return {
      total,
      items: rows.map((r) => ({
        seq: Number(r.seq),
        id: r.id as string,
        subject: r.subject as string,
        events: r.events as number,
        published: r.published_count as number,
        createdAt: new Date(r.created_at as Date).toISOString(),
        attempts: r.attempts as number,
        lastError: r.last_error as string | null,
      })),
    };
  }
}
