import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row may hold a batch: `batch_size` events as one JSON array in `message` (NULL: the
 * row is one event, as before). A batched writer recording hundreds of events per flush then
 * costs Postgres one row, one lock and one update per batch instead of per event, about a third
 * of what a recorded card check cost the machine. `published_count` is how many of the row's
 * events the stream already has, so a batch refused part-way resumes where it stopped.
 * lz4 where the server has it: a batch row is large, and pglz cost twice lz4's time to store it.
 */
export class OutboxBatches1733600000000 implements MigrationInterface {
  name = 'OutboxBatches1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN batch_size integer CHECK (batch_size > 0), ADD COLUMN published_count integer NOT NULL DEFAULT 0`);
    await q.query(`
      DO $$ BEGIN
        ALTER TABLE outbox ALTER COLUMN message SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN NULL;
      END $$`);
  }

  /** Batch rows become one row per event still to publish (published batches one row per event too), then the columns go. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO outbox (id, subject, message, created_at, attempts, last_error, published_at)
      SELECT (e.m->>'eventId')::uuid, o.subject, e.m, o.created_at, o.attempts, o.last_error,
             CASE WHEN e.n <= o.published_count THEN coalesce(o.published_at, now()) END
        FROM outbox o, json_array_elements(o.message) WITH ORDINALITY AS e(m, n)
       WHERE o.batch_size IS NOT NULL
       ORDER BY o.seq, e.n`);
    await q.query(`DELETE FROM outbox WHERE batch_size IS NOT NULL`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN message SET COMPRESSION default`);
    await q.query(`ALTER TABLE outbox DROP COLUMN published_count, DROP COLUMN batch_size`);
  }
}
