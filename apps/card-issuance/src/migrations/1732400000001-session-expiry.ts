import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions a kiosk left idle are closed as EXPIRED by a sweep over the active ones. */
export class SessionExpiry1732400000001 implements MigrationInterface {
  name = 'SessionExpiry1732400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE personalisation_session DROP CONSTRAINT personalisation_session_status_check`);
    await q.query(`ALTER TABLE personalisation_session ADD CONSTRAINT personalisation_session_status_check CHECK (status IN ('ACTIVE', 'FINISHED', 'FAILED', 'ABANDONED', 'EXPIRED'))`);
    await q.query(`CREATE INDEX personalisation_session_active_idle ON personalisation_session (updated_at) WHERE status = 'ACTIVE'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX personalisation_session_active_idle`);
    await q.query(`UPDATE personalisation_session SET status = 'ABANDONED' WHERE status = 'EXPIRED'`);
    await q.query(`ALTER TABLE personalisation_session DROP CONSTRAINT personalisation_session_status_check`);
    await q.query(`ALTER TABLE personalisation_session ADD CONSTRAINT personalisation_session_status_check CHECK (status IN ('ACTIVE', 'FINISHED', 'FAILED', 'ABANDONED'))`);
  }
}
