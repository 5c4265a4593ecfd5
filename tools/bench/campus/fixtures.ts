// The campus figures' data, written by SQL into the service's schema (the API's scrypt per
// user would take minutes for a thousand cardholders).
import type { Client } from 'pg';
import { BenchTarget, withClient } from '../common';

const withDb = <T>(t: BenchTarget, work: (db: Client) => Promise<T>): Promise<T> => withClient(t.schemaUrl, work);

/** Card numbers of the seeded cards: holder i (1-based) has card 2000000 + i. */
export const cardNoOf = (i: number) => String(2_000_000 + i);
export const userCodeOf = (i: number) => `BENCH${i}`;

/**
 * Cardholders and cards from SQL (the API's scrypt per user would take minutes), every holder
 * with the same login and query password hashes, and `entries` ledger entries spread evenly over
 * the cards, one a second back from now, as a campus's history would be. VACUUM ANALYZE at the
 * end: pages and counts are index(-only) walks once the visibility map is set, as in a database
 * that has been running.
 */
export async function seedCards(t: BenchTarget, holders: number, entries: number, passwordHash: string): Promise<void> {
  await withDb(t, async (db) => {
    await db.query(
      `INSERT INTO campus_user (user_code, name, organize, user_type, password_hash, query_password_hash)
       SELECT 'BENCH' || g, '用户' || g, '网络信息中心', 'student', $2, $2 FROM generate_series(1, $1::int) g`,
      [holders, passwordHash],
    );
    await db.query(
      `INSERT INTO card_account (card_no, user_code, card_type, expire_date, balance_fen, opened_by, query_password_hash)
       SELECT (2000000 + g)::text, 'BENCH' || g, '800', '20301231', 1000000000, 'bench', $2 FROM generate_series(1, $1::int) g`,
      [holders, passwordHash],
    );
    // In slices of 100,000 so one statement's memory stays small.
    for (let from = 1; from <= entries; from += 100_000) {
      await db.query(
        `INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, booked_at, system, merchant_no, merchant, description)
         SELECT (2000000 + 1 + g % $3)::text, 'POS', -(100 + g % 900), 1000000000, now() - g * interval '1 second', now() - g * interval '1 second' + interval '500 milliseconds',
                '新闵行第二食堂', 'M' || (g % 50), '大众餐厅', '持卡人消费'
           FROM generate_series($1::int, $2::int) g`,
        [from, Math.min(entries, from + 99_999), holders],
      );
    }
    await db.query(`VACUUM ANALYZE ledger_entry`);
    await db.query(`VACUUM ANALYZE card_account`);
    // The bulk load's dirty pages written out now, not by a checkpoint in the middle of a figure.
    await db.query(`CHECKPOINT`).catch(() => undefined);
  });
}

/** `count` PAY_PENDING recharge orders (serial numbers `tag` + n) of `amountFen` on the given cards, round robin; their ids. */
export async function seedOrders(t: BenchTarget, tag: string, cardNos: string[], count: number, amountFen: number): Promise<string[]> {
  return withDb(t, async (db) => {
    const { rows } = await db.query(
      `INSERT INTO recharge_order (card_no, user_code, client_id, apply_amount_fen, expire_time, serial_no, status)
       SELECT c.card_no, c.user_code, 'bench', $3, now() + interval '1 day', $4 || g, 'PAY_PENDING'
         FROM generate_series(1, $2::int) g
         JOIN LATERAL (SELECT card_no, user_code FROM card_account WHERE card_no = ($1::text[])[1 + g % array_length($1::text[], 1)]) c ON true
       RETURNING id`,
      [cardNos, count, amountFen, tag],
    );
    return rows.map((r) => String(r.id));
  });
}

/** How many of the given orders were credited, and by how many ledger entries (exactly once: equal). */
export function credited(t: BenchTarget, ids: string[]): Promise<{ recharged: number; entries: number; distinct: number }> {
  return withDb(t, async (db) => {
    const { rows } = await db.query(
      `SELECT (SELECT count(*)::int FROM recharge_order WHERE id = ANY($1::bigint[]) AND status = 'RECHARGED') AS recharged,
              count(*)::int AS entries, count(DISTINCT reference)::int AS distinct
         FROM ledger_entry WHERE kind = 'RECHARGE' AND reference = ANY($2::text[])`,
      [ids, ids],
    );
    return rows[0];
  });
}

/** Every card's balance equals the sum of its ledger from the start balance (the seeded history aside). */
export function ledgerBalanced(t: BenchTarget, since: Date): Promise<{ cards: number; unbalanced: number }> {
  return withDb(t, async (db) => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS cards, count(*) FILTER (WHERE a.balance_fen <> 1000000000 + coalesce(s.delta, 0))::int AS unbalanced
         FROM card_account a LEFT JOIN (SELECT card_no, sum(amount_fen) AS delta FROM ledger_entry WHERE booked_at >= $1 GROUP BY card_no) s USING (card_no)
        WHERE a.opened_by = 'bench'`,
      [since],
    );
    return rows[0];
  });
}
