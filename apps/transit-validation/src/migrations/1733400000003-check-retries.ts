import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An online card check is one row per device, card, device time and outcome, like the offline
 * log: a validator retrying a check whose answer it lost is the same tap, stored and published
 * once. (A second check of that second that was answered differently, because the card's state
 * changed in between, is a decision of its own and is kept.)
 */
export class CheckRetries1733400000003 implements MigrationInterface {
  name = 'CheckRetries1733400000003';

  async up(q: QueryRunner): Promise<void> {
    // Retries already stored twice: keep the first copy.
    await q.query(`
      DELETE FROM card_check a USING card_check b
       WHERE a.device_id = b.device_id AND a.card_id = b.card_id AND a.checked_at = b.checked_at AND a.outcome = b.outcome
         AND a.tableoid = b.tableoid AND a.ctid > b.ctid`);
    await q.query(`CREATE UNIQUE INDEX card_check_tap ON card_check (device_id, card_id, checked_at, outcome)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX card_check_tap`);
  }
}
