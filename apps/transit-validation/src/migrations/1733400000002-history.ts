import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * High-volume history, partitioned by time (RANGE, one partition per UTC day, created ahead by
 * core/partitions.ts; a DEFAULT partition catches anything outside the prepared days) so old
 * days can be detached or dropped whole: every heartbeat, every online check, every offline
 * log. Offline logs are unique per device, card/code and time: an upload repeated is one row.
 */
export class History1733400000002 implements MigrationInterface {
  name = 'History1733400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE location_report (
        device_id text NOT NULL,
        received_at timestamptz NOT NULL,
        device_time timestamptz,
        lng double precision,
        lat double precision,
        course double precision,
        speed double precision,
        check_mode smallint,
        check_card_mode smallint,
        qrcode_mode smallint,
        card_mode smallint,
        white_mode smallint,
        is_line_white smallint,
        version_code_all text,
        version_code_add text,
        line_version_code_all text,
        software_ver integer
      ) PARTITION BY RANGE (received_at)`);
    await q.query(`CREATE INDEX location_report_device ON location_report (device_id, received_at)`);

    await q.query(`
      CREATE TABLE card_check (
        device_id text NOT NULL,
        line_id text,
        card_id text NOT NULL,
        checked_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        check_mode smallint NOT NULL,
        outcome text NOT NULL,
        ret_code integer NOT NULL,
        lng double precision,
        lat double precision
      ) PARTITION BY RANGE (checked_at)`);
    await q.query(`CREATE INDEX card_check_card ON card_check (card_id, checked_at)`);

    await q.query(`
      CREATE TABLE card_check_log (
        device_id text NOT NULL,
        line_id text,
        card_id text NOT NULL,
        checked_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        status smallint NOT NULL,
        outcome text NOT NULL,
        lng double precision,
        lat double precision,
        UNIQUE (device_id, card_id, checked_at)
      ) PARTITION BY RANGE (checked_at)`);

    await q.query(`
      CREATE TABLE ticket_check (
        device_id text NOT NULL,
        line_id text,
        ticket_id text,
        user_id text,
        checked_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        check_mode smallint NOT NULL,
        outcome text NOT NULL,
        ret_code integer NOT NULL,
        lng double precision,
        lat double precision
      ) PARTITION BY RANGE (checked_at)`);

    await q.query(`
      CREATE TABLE qrcode_log (
        device_id text NOT NULL,
        line_id text,
        qr_hash bytea NOT NULL,
        qr_code text NOT NULL,
        ticket_id text,
        user_id text,
        scanned_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        status smallint NOT NULL,
        outcome text NOT NULL,
        server_outcome text NOT NULL,
        lng double precision,
        lat double precision,
        UNIQUE (device_id, qr_hash, scanned_at)
      ) PARTITION BY RANGE (scanned_at)`);

    for (const table of ['location_report', 'card_check', 'card_check_log', 'ticket_check', 'qrcode_log']) {
      await q.query(`CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['qrcode_log', 'ticket_check', 'card_check_log', 'card_check', 'location_report']) await q.query(`DROP TABLE ${table}`);
  }
}
