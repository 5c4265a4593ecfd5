import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The heartbeat interval validators are told (issue 17 item 3), set per device or per line, else
 * TRANSIT_REPORT_INTERVAL_S. `device.heartbeat_interval` becomes "set for this device", NULL for
 * "not set". Devices still at the old column default (5) are taken as not set: nothing told them
 * otherwise, and the configured default is 5 unless a deployment changes it, in which case those
 * devices follow. `line_setting` holds the per-line interval.
 */
export class ReportInterval1734600000001 implements MigrationInterface {
  name = 'ReportInterval1734600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device ALTER COLUMN heartbeat_interval DROP NOT NULL, ALTER COLUMN heartbeat_interval DROP DEFAULT`);
    await q.query(`UPDATE device SET heartbeat_interval = NULL WHERE heartbeat_interval = 5`);
    await q.query(`
      CREATE TABLE line_setting (
        line_id text PRIMARY KEY,
        heartbeat_interval integer CHECK (heartbeat_interval BETWEEN 1 AND 3600),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE line_setting`);
    await q.query(`UPDATE device SET heartbeat_interval = 5 WHERE heartbeat_interval IS NULL`);
    await q.query(`ALTER TABLE device ALTER COLUMN heartbeat_interval SET DEFAULT 5, ALTER COLUMN heartbeat_interval SET NOT NULL`);
  }
}
