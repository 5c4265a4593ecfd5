import { MigrationInterface, QueryRunner } from 'typeorm';

/** Wrong login passwords in a row lock a cardholder's login for a while (as query passwords do). */
export class LoginLockout1734000000001 implements MigrationInterface {
  name = 'LoginLockout1734000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campus_user ADD COLUMN login_failures int NOT NULL DEFAULT 0, ADD COLUMN login_locked_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campus_user DROP COLUMN login_locked_until, DROP COLUMN login_failures`);
  }
}
