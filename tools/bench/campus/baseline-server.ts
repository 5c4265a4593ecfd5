// The benchmark's baseline: bare Fastify over the same Postgres schema doing the same database
// work as each measured call (the same statements) and nothing else (no Nest, no OAuth library,
// no validation, no envelope).
// What the service costs above it is the framework and the rules; what it saves across calls (its
// token cache, payment notifications credited in groups, one commit each) is its own, and the
// baseline does each call's statements alone. Reads PORT, DATABASE_URL,
// DB_SCHEMA, PAYMENT_SECRET; prints `ready` once listening.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10), options: `-c search_path=${process.env.DB_SCHEMA}` });
const secret = process.env.PAYMENT_SECRET ?? '';
const app = Fastify();
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));

app.get('/health', async () => 'ok');

/**
 * A transactions page with the service's statements: the token by its hash (every time: the
 * service's token cache is its own), then the card (the token user's) with its count and the page
 * as JSON, in one statement.
 */
app.get('/page', async (request, reply) => {
  const q = request.query as Record<string, string>;
  const hash = createHash('sha256').update(q.access_token ?? '').digest('base64url');
  const token = await pool.query(`SELECT t.user_code, t.scopes, t.access_expires_at FROM oauth_token t JOIN oauth_client c USING (client_id) WHERE t.access_hash = $1`, [hash]);
  if (!token.rows[0]) return reply.status(401).send({ errno: 401 });
  const range = (c: string) => `${c} >= to_timestamp($2::float8 / 1000) AND ${c} < to_timestamp(($3::float8 + 1) / 1000)`;
  const { rows } = await pool.query(
    `SELECT a.card_no, (SELECT count(*)::int FROM ledger_entry WHERE card_no = a.card_no AND ${range('occurred_at')}) AS n,
            (SELECT coalesce(json_agg(json_build_array(trunc(extract(epoch FROM e.occurred_at) * 1000)::int8, trunc(extract(epoch FROM e.booked_at) * 1000)::int8,
                      e.system, e.merchant_no, e.merchant, e.description, e.amount_fen, e.balance_after_fen) ORDER BY e.occurred_at DESC, e.id DESC), '[]')
               FROM (SELECT * FROM ledger_entry WHERE card_no = a.card_no AND ${range('occurred_at')} ORDER BY occurred_at DESC, id DESC LIMIT $5 OFFSET $6) e) AS page
       FROM card_account a WHERE a.user_code = $4 AND a.card_no = $1`,
    [q.cardNo, 0, Date.now(), token.rows[0].user_code, Number(q.limit), Number(q.start)],
  );
  if (!rows[0]) return reply.status(404).send({ errno: 404 });
  const page = rows[0].page as Array<[number, number, string, string, string, string, number, number]>;
  return { errno: 0, error: 'success', total: rows[0].n, entities: page.map((e) => ({ dateTime: e[0], system: e[2], merchantNo: e[3], merchant: e[4], description: e[5], amount: e[6] / 100, cardBalance: e[7] / 100 })) };
});

/**
 * A payment notification with the service's statements for one: the signature, then the order
 * moved to RECHARGED with its credit and entry in one statement (the service's per group); a repeat (nothing moved) read under the
 * order's lock in a transaction, as the service decides it.
 */
app.post('/notify', async (request, reply) => {
  const n = request.body as Record<string, string>;
  const expected = createHmac('sha256', secret).update(`${n.id}|${n.amount}|${n.payTime}|${n.status}`).digest();
  if (!/^[0-9a-f]{64}$/.test(n.sign ?? '') || !timingSafeEqual(expected, Buffer.from(n.sign, 'hex'))) return reply.status(403).send({ errno: 403 });
  const paidFen = Math.round(Number(n.amount) * 100);
  const payTime = new Date(`${n.payTime.replace(' ', 'T')}+08:00`);
  const credited = await pool.query(
    `WITH change AS (
       UPDATE recharge_order SET status = 'RECHARGED', recharge_amount_fen = apply_amount_fen, pay_time = $3, failed_reason = NULL, recharged_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ('PAY_PENDING', 'PAY_FAILED') AND apply_amount_fen = $2 AND expire_time >= $3
        RETURNING card_no, apply_amount_fen AS amount_fen, id::text AS reference
     ), account AS (
       UPDATE card_account a SET balance_fen = a.balance_fen + c.amount_fen, updated_at = now() FROM change c
        WHERE a.card_no = c.card_no AND a.balance_fen + c.amount_fen >= 0 RETURNING a.card_no, a.balance_fen, c.amount_fen, c.reference
     )
     INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, system, merchant_no, merchant, description, reference)
     SELECT card_no, 'RECHARGE', amount_fen, balance_fen, $3, '', '', '', '在线充值', reference FROM account RETURNING id`,
    [n.id, paidFen, payTime],
  );
  if (credited.rowCount === 0) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT id, card_no, status, apply_amount_fen, recharge_amount_fen, expire_time, failed_reason FROM recharge_order WHERE id = $1 FOR UPDATE`, [n.id]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  return { errno: 0, error: 'success', total: 0 };
});

/** A POS purchase: the same single conditional statement. */
app.post('/pos', async (request) => {
  const b = request.body as { cardNo: string; amount: number; merchantNo: string; merchant: string; system: string };
  const { rows } = await pool.query(
    `WITH account AS (UPDATE card_account SET balance_fen = balance_fen - $2 WHERE card_no = $1 AND balance_fen - $2 >= 0 AND NOT lost AND NOT frozen RETURNING card_no, balance_fen)
     INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, system, merchant_no, merchant, description)
     SELECT card_no, 'POS', -$2::bigint, balance_fen, now(), $3, $4, $5, '持卡人消费' FROM account RETURNING id, balance_after_fen`,
    [b.cardNo, Math.round(b.amount * 100), b.system, b.merchantNo, b.merchant],
  );
  return { errno: rows.length ? 0 : 402, error: 'success', total: 0 };
});

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(() => process.stdout.write('ready\n'));
