import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Terminals (the document's devices), the persons the supervision platform registers, their
 * photos, and which person may pass at which terminal. Every change a terminal must learn of
 * stamps its authorisation row with a version from ONE sequence, taken under the sync_clock row
 * lock so versions become visible in the order they were taken (a terminal's cursor never skips
 * a change committed late). Card numbers made unusable by other services' events live in
 * card_block.
 */
export class DevicesPersons1734100000000 implements MigrationInterface {
  name = 'DevicesPersons1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device (
        device_key text PRIMARY KEY CHECK (length(device_key) BETWEEN 1 AND 50),
        name text NOT NULL,
        tag text NOT NULL DEFAULT '',
        -- The document's state: 1 not bound (its terminal has not called yet), 2 bound, 3 disabled (deleted).
        state smallint NOT NULL DEFAULT 1 CHECK (state IN (1, 2, 3)),
        secret_sealed text NOT NULL,
        version_no text,
        last_active_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE person (
        guid text PRIMARY KEY,
        -- As the platform sent it: a card number or a resident ID number.
        card_no text NOT NULL,
        -- card_no upper-cased without blanks: what a terminal reads and card_block holds.
        card_key text NOT NULL,
        name text NOT NULL,
        phone text,
        tag text NOT NULL DEFAULT '',
        face_guid text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // One registered person per card; a deleted person's card may be registered again.
    await q.query(`CREATE UNIQUE INDEX person_card_key ON person (card_key) WHERE deleted_at IS NULL`);
    await q.query(`
      CREATE TABLE person_photo (
        face_guid text PRIMARY KEY,
        person_guid text NOT NULL REFERENCES person (guid),
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
        bytes bytea NOT NULL,
        sha256 text NOT NULL,
        source_url text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX person_photo_person ON person_photo (person_guid)`);
    await q.query(`ALTER TABLE person ADD FOREIGN KEY (face_guid) REFERENCES person_photo (face_guid)`);

    await q.query(`CREATE SEQUENCE sync_version_seq AS bigint`);
    await q.query(`CREATE TABLE sync_clock (id smallint PRIMARY KEY CHECK (id = 1))`);
    await q.query(`INSERT INTO sync_clock (id) VALUES (1)`);
    await q.query(`
      CREATE TABLE authorisation (
        device_key text NOT NULL REFERENCES device (device_key),
        person_guid text NOT NULL REFERENCES person (guid),
        -- What the terminal must do: hold the person (add) or drop them (delete).
        action text NOT NULL CHECK (action IN ('add', 'delete')),
        permission smallint NOT NULL CHECK (permission BETWEEN 0 AND 3),
        pass_times text NOT NULL DEFAULT '',
        valid_from timestamptz,
        valid_until timestamptz,
        version bigint NOT NULL,
        -- The terminal acknowledged the current action (and, for add, this photo).
        confirmed boolean NOT NULL DEFAULT false,
        confirmed_face_guid text,
        confirmed_at timestamptz,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_key, person_guid)
      )`);
    await q.query(`CREATE INDEX authorisation_feed ON authorisation (device_key, version)`);
    await q.query(`CREATE INDEX authorisation_person ON authorisation (person_guid)`);

    await q.query(`
      CREATE TABLE card_block (
        card_key text PRIMARY KEY,
        blocked boolean NOT NULL,
        reason text NOT NULL,
        source text NOT NULL,
        -- occurredAt of the event that set it: an older event arriving late changes nothing.
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE card_block`);
    await q.query(`DROP TABLE authorisation`);
    await q.query(`DROP TABLE sync_clock`);
    await q.query(`DROP SEQUENCE sync_version_seq`);
    await q.query(`ALTER TABLE person DROP COLUMN face_guid`);
    await q.query(`DROP TABLE person_photo`);
    await q.query(`DROP TABLE person`);
    await q.query(`DROP TABLE device`);
  }
}
