import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rows a batched writer could not store (Postgres refused them for their data), set aside with
 * the reason so the rest of their batch is stored and operators see them (GET /admin/dead-rows).
 * The row is kept as the JSON text the app wrote (text, not json: it may be exactly what json
 * refused).
 */
export class DeadRows1733800000001 implements MigrationInterface {
  name = 'DeadRows1733800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dead_row (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        writer text NOT NULL,
        reason text NOT NULL,
        row_json text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dead_row_writer ON dead_row (writer, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_row`);
  }
}
