import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Telemetry kept as the device sent it (issue 17 item 2): beside each number column, a text column
 * holding the value as sent whenever the number alone does not say it (another notation such as
 * NMEA `12128.4220` or `E121.47`, a value out of range such as course `-1`, firmware `1.0.3`); the
 * number stays NULL when nothing could be read. Nullable columns without a default: on the
 * partitioned history tables Postgres adds them to every partition as a catalogue change, with no
 * table rewrite.
 */
export class TelemetryAsSent1734600000000 implements MigrationInterface {
  name = 'TelemetryAsSent1734600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['location_report', 'device_status']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN lng_raw text, ADD COLUMN lat_raw text, ADD COLUMN course_raw text, ADD COLUMN speed_raw text,
        ADD COLUMN software_ver_raw text`);
    }
    for (const table of ['card_check', 'card_check_log', 'ticket_check', 'qrcode_log']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN lng_raw text, ADD COLUMN lat_raw text`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['card_check', 'card_check_log', 'ticket_check', 'qrcode_log']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN lng_raw, DROP COLUMN lat_raw`);
    }
    for (const table of ['location_report', 'device_status']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN lng_raw, DROP COLUMN lat_raw, DROP COLUMN course_raw, DROP COLUMN speed_raw, DROP COLUMN software_ver_raw`);
    }
  }
}
