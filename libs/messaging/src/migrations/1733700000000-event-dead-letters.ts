import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events a consumer gave up on: invalid messages, and valid ones whose handler failed on every
 * allowed delivery (or whose deliveries ended without an outcome). JetStream no longer delivers
 * them; this row is what operators see at /admin/events and replay from. `message` is the text
 * as received (it may not be JSON); `event_id` is text because an invalid message may carry
 * anything there. One open (status 'dead') letter per consumer and event.
 */
export class EventDeadLetters1733700000000 implements MigrationInterface {
  name = 'EventDeadLetters1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_dead_letter (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consumer text NOT NULL,
        subject text NOT NULL,
        event_id text,
        message text NOT NULL,
        stream_seq bigint,
        deliveries integer NOT NULL,
        reason text NOT NULL CHECK (reason IN ('invalid', 'failed', 'unanswered')),
        error text NOT NULL,
        status text NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'replayed')),
        dead_at timestamptz NOT NULL DEFAULT now(),
        replays integer NOT NULL DEFAULT 0,
        last_replay_at timestamptz
      )`);
    await q.query(`CREATE INDEX event_dead_letter_by_status ON event_dead_letter (status, id)`);
    await q.query(`CREATE UNIQUE INDEX event_dead_letter_open ON event_dead_letter (consumer, event_id) WHERE status = 'dead'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_dead_letter`);
  }
}
