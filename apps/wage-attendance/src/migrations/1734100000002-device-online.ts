import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The onlineState last published for each terminal (device.status-changed `online`/`offline`).
 * /device/query still computes onlineState from last_active_at at read time; this column only
 * records which transition has been published, so the offline sweep (a conditional UPDATE) and a
 * terminal's next call each publish a transition once, whatever the number of replicas. The
 * partial index keeps the sweep to the online terminals.
 */
export class DeviceOnline1734100000002 implements MigrationInterface {
  name = 'DeviceOnline1734100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device ADD COLUMN online boolean NOT NULL DEFAULT false`);
    // Terminals heard from within the default window (120 s) count as online already, so the sweep
    // reports them when they fall silent; the long silent get no late `offline` flood on deploy.
    await q.query(`UPDATE device SET online = true WHERE state = 2 AND last_active_at >= now() - interval '120 seconds'`);
    await q.query(`CREATE INDEX device_online ON device (last_active_at) WHERE online`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX device_online`);
    await q.query(`ALTER TABLE device DROP COLUMN online`);
  }
}
