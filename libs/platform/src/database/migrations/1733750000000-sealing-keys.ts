import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * In every app's schema: the fingerprint of the key each sealing key setting (MACHINE_SECRET_KEY,
 * TRANSIT_SECRET_KEY …) has sealed the schema's values with, written at start-up once they are
 * all sealed with it (security/sealed-data-check.ts). A fingerprint names a key without
 * revealing it; each sealed value also carries its key's.
 */
export class SealingKeys1733750000000 implements MigrationInterface {
  name = 'SealingKeys1733750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sealing_key (
        variable text NOT NULL,
        fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{8}$'),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (variable, fingerprint)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sealing_key`);
  }
}
