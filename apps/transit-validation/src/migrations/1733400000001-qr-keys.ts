import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * QR key groups: Ed25519 key pairs under a version_code (public keys go to validators, private
 * keys stay here sealed), and the single-use record of every accepted ticket.
 */
export class QrKeys1733400000001 implements MigrationInterface {
  name = 'QrKeys1733400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE qr_key_group (
        version_code bigint PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        retire_at timestamptz
      )`);
    // At most one current group (the one signing new codes).
    await q.query(`CREATE UNIQUE INDEX qr_key_group_current ON qr_key_group ((true)) WHERE retire_at IS NULL`);
    await q.query(`
      CREATE TABLE qr_key (
        key_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        version_code bigint NOT NULL REFERENCES qr_key_group (version_code),
        public_key text NOT NULL,
        private_key_sealed text NOT NULL
      )`);
    await q.query(`CREATE INDEX qr_key_group_keys ON qr_key (version_code)`);
    await q.query(`
      CREATE TABLE qr_ticket_use (
        ticket_id text PRIMARY KEY,
        version_code bigint NOT NULL,
        user_id text NOT NULL,
        device_id text NOT NULL,
        used_at timestamptz NOT NULL,
        mode text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE qr_ticket_use`);
    await q.query(`DROP TABLE qr_key`);
    await q.query(`DROP TABLE qr_key_group`);
  }
}
