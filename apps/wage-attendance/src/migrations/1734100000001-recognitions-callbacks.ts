import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recognition records, partitioned by recognition time (RANGE, one partition per UTC month made
 * ahead by recognition/partitions.ts, a DEFAULT partition for anything else) so old months can be
 * detached whole; a record is unique by its guid and time, so an upload repeated is one row.
 *
 * The callback queue: one row per callback owed to the supervision platform, written in the
 * transaction of the change it reports, delivered in id order per device. A worker holds the
 * device's callback_lane row (FOR UPDATE SKIP LOCKED) while it delivers, so one device's
 * callbacks are never sent by two replicas at once nor out of order; the lane also carries the
 * backoff (due_at) of its failing head.
 */
export class RecognitionsCallbacks1734100000001 implements MigrationInterface {
  name = 'RecognitionsCallbacks1734100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recognition (
        guid text NOT NULL,
        show_time timestamptz NOT NULL,
        device_key text NOT NULL,
        person_guid text NOT NULL,
        photo_url text NOT NULL DEFAULT '',
        type smallint NOT NULL,
        rec_mode smallint NOT NULL,
        card_no text NOT NULL DEFAULT '',
        rec_type smallint NOT NULL,
        person_name text NOT NULL DEFAULT '',
        device_type text NOT NULL DEFAULT '',
        pass_time_type smallint NOT NULL,
        permission_time_type smallint NOT NULL,
        rec_mode_type text NOT NULL,
        card_blocked boolean NOT NULL DEFAULT false,
        id_card_info jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (guid, show_time)
      ) PARTITION BY RANGE (show_time)`);
    await q.query(`CREATE INDEX recognition_device ON recognition (device_key, show_time)`);
    await q.query(`CREATE TABLE recognition_default PARTITION OF recognition DEFAULT`);

    await q.query(`
      CREATE TABLE callback (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        device_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('deleteDevice', 'identify', 'addPerson', 'deletePerson')),
        -- The form's fields in the document's order (json keeps order and text as written).
        form json NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX callback_pending ON callback (device_key, id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX callback_dead ON callback (id) WHERE status = 'dead'`);
    // Delivered rows are dropped after CALLBACK_RETENTION_DAYS; BRIN costs next to nothing per insert.
    await q.query(`CREATE INDEX callback_created ON callback USING brin (created_at)`);
    await q.query(`
      CREATE TABLE callback_lane (
        device_key text PRIMARY KEY,
        due_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE callback_lane`);
    await q.query(`DROP TABLE callback`);
    await q.query(`DROP TABLE recognition`);
  }
}
