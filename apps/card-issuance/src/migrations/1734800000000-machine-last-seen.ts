import { MigrationInterface, QueryRunner } from 'typeorm';

/** When a kiosk was last heard from (any signed call), for the operators' online state. */
export class MachineLastSeen1734800000000 implements MigrationInterface {
  name = 'MachineLastSeen1734800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine ADD COLUMN last_seen_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine DROP COLUMN last_seen_at`);
  }
}
