import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators take a validator out of service and put it back: `disabled_at` set means its tokens
 * are refused and /get_token gives it none. (Disabling also bumps `token_gen`, so tokens from
 * before stay dead once it is enabled again.)
 */
export class DeviceDisabled1733800000000 implements MigrationInterface {
  name = 'DeviceDisabled1733800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device ADD COLUMN disabled_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device DROP COLUMN disabled_at`);
  }
}
