import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox keeps each event's message as the JSON text it was written as (`json`, not `jsonb`):
 * the relay publishes that text as it is, with no parse on read and no re-serialising in Node,
 * and jsonb's binary form bought nothing, since nothing queries into the outbox at volume.
 */
export class OutboxMessageAsJson1733500000000 implements MigrationInterface {
  name = 'OutboxMessageAsJson1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN message TYPE json USING message::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN message TYPE jsonb USING message::jsonb`);
  }
}
