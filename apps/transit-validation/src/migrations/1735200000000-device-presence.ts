import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Validators' presence as published (device.status-changed `online`/`offline`). /admin/devices
 * still computes `online` from last_seen_at when asked; `online` only records which transition has
 * been published, so the offline sweep and the heartbeat write each publish one once, whatever the
 * number of replicas. `was_online` and `prior_seen_at` are the row as it was before the latest
 * heartbeat: the heartbeat's upsert sets them from the row it updates (under its lock), and its
 * RETURNING, which shows only new values, thereby tells which heartbeats brought a device back.
 * No index for the sweep: one on last_seen_at would take every heartbeat's update off its HOT path.
 */
export class DevicePresence1735200000000 implements MigrationInterface {
  name = 'DevicePresence1735200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device_status ADD COLUMN online boolean NOT NULL DEFAULT false,
      ADD COLUMN was_online boolean NOT NULL DEFAULT false, ADD COLUMN prior_seen_at timestamptz`);
    // Validators online now by the default rule (3 intervals, 5 s unless set, at least 15 s) count as
    // online already, so the sweep reports them when they fall silent; the long silent get no late
    // `offline` flood on deploy, and a deployment with other settings is corrected by one event each.
    await q.query(`
      UPDATE device_status s SET online = true
        FROM device d LEFT JOIN line_setting l ON l.line_id = d.line_id
       WHERE d.device_id = s.device_id
         AND s.last_seen_at > now() - make_interval(secs => greatest(3 * coalesce(d.heartbeat_interval, l.heartbeat_interval, 5), 15))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device_status DROP COLUMN online, DROP COLUMN was_online, DROP COLUMN prior_seen_at`);
  }
}
