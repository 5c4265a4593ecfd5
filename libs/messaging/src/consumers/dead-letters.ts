import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type DeadLetterStatus = 'dead' | 'replayed';
/** invalid: failed validation; failed: the handler threw on every allowed delivery; unanswered: deliveries ran out with no outcome recorded. */
export type DeadLetterReason = 'invalid' | 'failed' | 'unanswered';

export interface NewDeadLetter {
  consumer: string;
  subject: string;
  eventId: string | null;
  message: string;
  streamSeq: number | null;
  deliveries: number;
  reason: DeadLetterReason;
  error: string;
}

/** A dead letter as operators see it. `message` is the JSON received, or its text when it was not JSON. */
export interface DeadLetterView {
  id: number;
  status: DeadLetterStatus;
  consumer: string;
  subject: string;
  eventId: string | null;
  reason: DeadLetterReason;
  error: string;
  deliveries: number;
  streamSeq: number | null;
  deadAt: string;
  replays: number;
  lastReplayAt: string | null;
  message: unknown;
}

/** Which letters an operator asks for: subject and consumer exact, `since` on when the letter died. */
export interface DeadLetterFilter {
  status: DeadLetterStatus;
  subject?: string;
  consumer?: string;
  since?: Date;
}

export interface DeadLetterRow {
  id: string;
  status: DeadLetterStatus;
  consumer: string;
  subject: string;
  event_id: string | null;
  message: string;
  stream_seq: string | null;
  deliveries: number;
  reason: DeadLetterReason;
  error: string;
  dead_at: Date;
  replays: number;
  last_replay_at: Date | null;
}

const ERROR_MAX = 2000;
/** Postgres text cannot hold NUL; a message that had one is kept with U+FFFD in its place. */
const storable = (text: string) => text.replace(/\0/g, '\uFFFD');

/** The dead-letter table: written by the consumers, read and replayed by operators. */
@Injectable()
export class DeadLetters {
  constructor(private readonly db: DataSource) {}

  /** Records a letter; a second one for an event already dead under the same consumer updates that one. */
  async record(letter: NewDeadLetter): Promise<number> {
    const [row] = await this.db.query(
      `INSERT INTO event_dead_letter (consumer, subject, event_id, message, stream_seq, deliveries, reason, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (consumer, event_id) WHERE status = 'dead' DO UPDATE
          SET message = EXCLUDED.message, stream_seq = EXCLUDED.stream_seq, deliveries = EXCLUDED.deliveries,
              reason = EXCLUDED.reason, error = EXCLUDED.error, dead_at = now()
       RETURNING id`,
      [letter.consumer, letter.subject, letter.eventId && storable(letter.eventId), storable(letter.message), letter.streamSeq, letter.deliveries, letter.reason, letter.error.slice(0, ERROR_MAX)],
    );
    return Number(row.id);
  }

  /** Newest first; `total` counts every letter the filter matches. */
  async list(filter: DeadLetterFilter, limit: number, offset: number): Promise<{ total: number; items: DeadLetterView[] }> {
    const where = `status = $1 AND ($2::text IS NULL OR subject = $2) AND ($3::text IS NULL OR consumer = $3) AND ($4::timestamptz IS NULL OR dead_at >= $4)`;
    const params = [filter.status, filter.subject ?? null, filter.consumer ?? null, filter.since ?? null];
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM event_dead_letter WHERE ${where}`, params);
    const rows: DeadLetterRow[] = await this.db.query(`SELECT * FROM event_dead_letter WHERE ${where} ORDER BY id DESC LIMIT $5 OFFSET $6`, [...params, limit, offset]);
    return { total, items: rows.map(toView) };
  }

  async get(id: number): Promise<DeadLetterRow | undefined> {
    const [row] = await this.db.query(`SELECT * FROM event_dead_letter WHERE id = $1`, [id]);
    return row;
  }

  /** Marks a letter replayed (once: a second replay finds it so already). */
  async replayed(id: number): Promise<DeadLetterView> {
    await this.db.query(`UPDATE event_dead_letter SET status = 'replayed', replays = replays + 1, last_replay_at = now() WHERE id = $1 AND status = 'dead'`, [id]);
    return toView((await this.get(id))!);
  }

  /** A replay failed: the letter stays dead with the new error. */
  async failedAgain(id: number, error: string): Promise<void> {
    await this.db.query(`UPDATE event_dead_letter SET error = $2, replays = replays + 1, last_replay_at = now() WHERE id = $1 AND status = 'dead'`, [id, error.slice(0, ERROR_MAX)]);
  }

  /** Letters still dead (for the gauge operators alert on). */
  async open(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM event_dead_letter WHERE status = 'dead'`);
    return n;
  }
}

export function toView(row: DeadLetterRow): DeadLetterView {
  let message: unknown = row.message;
  try {
    message = JSON.parse(row.message);
  } catch {
    // Kept as the text received.
  }
  return {
    id: Number(row.id),
    status: row.status,
    consumer: row.consumer,
    subject: row.subject,
    eventId: row.event_id,
    reason: row.reason,
    error: row.error,
    deliveries: row.deliveries,
    streamSeq: row.stream_seq === null ? null : Number(row.stream_seq),
    deadAt: new Date(row.dead_at).toISOString(),
    replays: row.replays,
    lastReplayAt: row.last_replay_at ? new Date(row.last_replay_at).toISOString() : null,
    message,
  };
}
