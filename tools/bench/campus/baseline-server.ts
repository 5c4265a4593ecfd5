// The benchmark's baseline: bare Fastify over the same Postgres schema doing the same database
// work as each measured call (the same statements) and nothing else (no Nest, no OAuth library,
// no validation, no envelope).
// What the service costs above it is the framework and the rules. Reads PORT, DATABASE_URL,
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
 * A transactions page with the service's queries: the token by its hash, then the card (the
 * token user's) with its count beside the page.
 */
app.get('/page', async (request, reply) => {
  const q = request.query as Record<string, string>;
  const hash = createHash('sha256').update(q.access_token ?? '').digest('base64url');
  const token = await pool.query(`SELECT t.user_code, t.scopes, t.access_expires_at FROM oauth_token t JOIN oauth_client c USING (client_id) WHERE t.access_hash = $1`, [hash]);
  if (!token.rows[0]) return reply.status(401).send({ errno: 401 });
  const params = [q.cardNo, 0, Date.now()];
  const range = `occurred_at >= to_timestamp($2::float8 / 1000) AND occurred_at < to_timestamp(($3::float8 + 1) / 1000)`;
  const [owned, page] = await Promise.all([
    pool.query(`SELECT a.card_no, (SELECT count(*)::int FROM ledger_entry WHERE card_no = a.card_no AND ${range}) AS n FROM card_account a WHERE a.card_no = $1 AND a.user_code = $4`, [...params, token.rows[0].user_code]),
    pool.query(`SELECT * FROM ledger_entry WHERE card_no = $1 AND ${range} ORDER BY occurred_at DESC, id DESC LIMIT $4 OFFSET $5`, [...params, Number(q.limit), Number(q.start)]),
  ]);
  if (!owned.rows[0]) return reply.status(404).send({ errno: 404 });
  return { errno: 0, error: 'success', total: owned.rows[0].n, entities: page.rows.map((r) => ({ dateTime: r.occurred_at.getTime(), merchant: r.merchant, amount: Number(r.amount_fen) / 100 })) };
});

/** A payment notification: signature, then the order locked, credited and settled in one transaction. */
app.post('/notify', async (request, reply) => {
  const n = request.body as Record<string, string>;
  const expected = createHmac('sha256', secret).update(`${n.id}|${n.amount}|${n.payTime}|${n.status}`).digest();
  if (!/^[0-9a-f]{64}$/.test(n.sign ?? '') || !timingSafeEqual(expected, Buffer.from(n.sign, 'hex'))) return reply.status(403).send({ errno: 403 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(`SELECT card_no, status, apply_amount_fen FROM recharge_order WHERE id = $1 FOR UPDATE`, [n.id]);
    if (rows[0] && rows[0].status === 'PAY_PENDING') {
      await client.query(
        `WITH account AS (UPDATE card_account SET balance_fen = balance_fen + $2 WHERE card_no = $1 RETURNING card_no, balance_fen)
         INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, description, reference)
         SELECT card_no, 'RECHARGE', $2, balance_fen, now(), '在线充值', $3 FROM account`,
        [rows[0].card_no, rows[0].apply_amount_fen, n.id],
      );
      await client.query(`UPDATE recharge_order SET status = 'RECHARGED', recharge_amount_fen = $2, pay_time = now(), recharged_at = now() WHERE id = $1`, [n.id, rows[0].apply_amount_fen]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
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
