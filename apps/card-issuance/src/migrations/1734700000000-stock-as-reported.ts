import { MigrationInterface, QueryRunner } from 'typeorm';

const ITEMS = ['card_count', 'ink_count', 'card_rope_cover'];

/**
 * Kiosk stock as reported (issue 17): the text a kiosk sent (`85%`, `85.5`, `120`) in
 * `<item>_reported`, and the item's column becomes its numeric level (numeric, so 85.5 stays
 * 85.5) for the low-stock alarm. Rows so far hold whole counts: their text is that count.
 * Down keeps the whole part of each level and drops the texts.
 */
export class StockAsReported1734700000000 implements MigrationInterface {
  name = 'StockAsReported1734700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine ${ITEMS.map((c) => `ALTER COLUMN ${c} TYPE numeric USING ${c}::numeric`).join(', ')}`);
    await q.query(`ALTER TABLE machine ${ITEMS.map((c) => `ADD COLUMN ${c}_reported text NOT NULL DEFAULT '0'`).join(', ')}`);
    await q.query(`UPDATE machine SET ${ITEMS.map((c) => `${c}_reported = ${c}::text`).join(', ')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine ${ITEMS.map((c) => `DROP COLUMN ${c}_reported`).join(', ')}`);
    await q.query(`ALTER TABLE machine ${ITEMS.map((c) => `ALTER COLUMN ${c} TYPE integer USING floor(${c})::integer`).join(', ')}`);
  }
}
