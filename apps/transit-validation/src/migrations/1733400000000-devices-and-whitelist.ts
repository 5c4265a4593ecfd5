import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Validators (identity, sealed secret, remote configuration), their latest reported state, and
 * the card whitelist: one row per card (removals kept as tombstones so incremental lists can
 * report them), every change stamped with a version from ONE sequence, and a version per line.
 */
export class DevicesAndWhitelist1733400000000 implements MigrationInterface {
  name = 'DevicesAndWhitelist1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device (
        device_id text PRIMARY KEY,
        enterprise_id text NOT NULL,
        line_id text NOT NULL,
        secret_sealed text NOT NULL,
        token_gen integer NOT NULL DEFAULT 1,
        check_mode smallint NOT NULL DEFAULT 0 CHECK (check_mode IN (0, 1)),
        check_card_mode smallint NOT NULL DEFAULT 0 CHECK (check_card_mode IN (0, 1)),
        qrcode_mode smallint NOT NULL DEFAULT 1 CHECK (qrcode_mode IN (0, 1)),
        card_mode smallint NOT NULL DEFAULT 1 CHECK (card_mode IN (0, 1)),
        white_mode smallint NOT NULL DEFAULT 1 CHECK (white_mode IN (0, 1)),
        is_line_white smallint NOT NULL DEFAULT 0 CHECK (is_line_white IN (0, 1)),
        check_start_time time,
        check_end_time time,
        heartbeat_interval integer NOT NULL DEFAULT 5 CHECK (heartbeat_interval BETWEEN 1 AND 3600),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((check_start_time IS NULL) = (check_end_time IS NULL))
      )`);
    await q.query(`CREATE INDEX device_line ON device (line_id)`);
    // Latest heartbeat per device (the history is location_report).
    await q.query(`
      CREATE TABLE device_status (
        device_id text PRIMARY KEY,
        last_seen_at timestamptz NOT NULL,
        device_time timestamptz,
        lng double precision,
        lat double precision,
        course double precision,
        speed double precision,
        software_ver integer,
        check_mode smallint,
        check_card_mode smallint,
        qrcode_mode smallint,
        card_mode smallint,
        white_mode smallint,
        is_line_white smallint,
        version_code_all text,
        version_code_add text,
        line_version_code_all text
      )`);
    await q.query(`CREATE SEQUENCE whitelist_version_seq AS bigint`);
    await q.query(`
      CREATE TABLE whitelist_card (
        -- Upper-case letters and digits only: list answers embed it in JSON without escaping.
        card_no text COLLATE "C" PRIMARY KEY CHECK (card_no ~ '^[0-9A-Z]{1,32}$'),
        flag smallint NOT NULL CHECK (flag IN (0, 1)),
        line_ids text[] NOT NULL DEFAULT '{}',
        removed boolean NOT NULL DEFAULT false,
        version bigint NOT NULL,
        account_no text,
        source text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX whitelist_card_version ON whitelist_card (version, card_no)`);
    await q.query(`CREATE INDEX whitelist_card_lines ON whitelist_card USING gin (line_ids)`);
    await q.query(`CREATE TABLE line_version (line_id text PRIMARY KEY, version bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE line_version`);
    await q.query(`DROP TABLE whitelist_card`);
    await q.query(`DROP SEQUENCE whitelist_version_seq`);
    await q.query(`DROP TABLE device_status`);
    await q.query(`DROP TABLE device`);
  }
}
