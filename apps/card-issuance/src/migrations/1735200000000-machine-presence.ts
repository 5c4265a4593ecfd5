import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kiosks' presence as published (machine.status-changed `online`/`offline`). /admin/machines still
 * computes `online` from last_seen_at when asked; `online_published` only records which transition
 * has been published, so the offline sweep (a conditional UPDATE) and KioskPresence's write each
 * publish one once, whatever the number of replicas. (Not `online`: the admin queries select
 * `*, (…) AS online`.) The partial index keeps the sweep to the online kiosks.
 */
export class MachinePresence1735200000000 implements MigrationInterface {
  name = 'MachinePresence1735200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine ADD COLUMN online_published boolean NOT NULL DEFAULT false`);
    // Kiosks heard from within the default window (300 s) count as online already, so the sweep
    // reports them when they fall silent; the long silent get no late `offline` flood on deploy.
    await q.query(`UPDATE machine SET online_published = true WHERE last_seen_at > now() - interval '300 seconds'`);
    await q.query(`CREATE INDEX machine_online ON machine (last_seen_at) WHERE online_published`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX machine_online`);
    await q.query(`ALTER TABLE machine DROP COLUMN online_published`);
  }
}
