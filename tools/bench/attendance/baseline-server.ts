// The baseline of `npm run bench:attendance`, run as its own process: what ingesting a signed
// recognition record costs without this service's guarantees. Fastify checks the same signature
// (HMAC over the raw body, timestamp skew; nonces in memory, not Postgres), stores the record with
// one INSERT, answers, and forwards it to the platform at once (fire and forget: no judgement,
// no outbox, no durable queue, no order per device, no retry).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { Agent, request } from 'undici';

const secrets = new Map<string, string>(JSON.parse(process.env.BASELINE_SECRETS ?? '[]'));
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 20), options: `-c search_path=${process.env.DB_SCHEMA}` });
const platform = new Agent({ connections: 64, keepAliveTimeout: 60_000 });
const callbackUrl = `${process.env.SUPERVISION_CALLBACK_URL}/autosos/callback/otherDevices/identify`;
const nonces = new Set<string>();
const app = Fastify({ bodyLimit: 1 << 20 });

app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
  (req as unknown as { raw: { rawBody: Buffer } }).raw.rawBody = body as Buffer;
  try {
    done(null, JSON.parse((body as Buffer).toString('utf8')));
  } catch (error) {
    done(error as Error, undefined);
  }
});

app.post('/terminal/identify', async (req, reply) => {
  const h = req.headers as Record<string, string>;
  const secret = secrets.get(h['x-device-key']);
  const raw = (req.raw as unknown as { rawBody: Buffer }).rawBody;
  const canonical = `POST\n${req.url}\n${h['x-timestamp']}\n${h['x-nonce']}\n${createHash('sha256').update(raw).digest('hex')}`;
  const expected = secret ? createHmac('sha256', secret).update(canonical).digest() : Buffer.alloc(32);
  const given = Buffer.from(String(h['x-signature']), 'hex');
  if (!secret || given.length !== 32 || !timingSafeEqual(expected, given) || Math.abs(Number(h['x-timestamp']) - Date.now()) > 300_000 || nonces.has(h['x-nonce'])) {
    return reply.code(401).send({ success: false });
  }
  nonces.add(h['x-nonce']);
  if (nonces.size > 1_000_000) nonces.clear();
  const r = req.body as Record<string, string | number>;
  await pool.query(
    `INSERT INTO recognition_baseline (guid, show_time, device_key, person_guid, type, rec_mode) VALUES ($1, to_timestamp($2::float8 / 1000), $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [r.guid, r.showTime, r.deviceKey, r.personGuid, r.type, r.recMode],
  );
  const form = new URLSearchParams({ sn: String(r.deviceKey), operationTime: '', ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])) }).toString();
  void request(callbackUrl, { method: 'POST', dispatcher: platform, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
    .then((res) => res.body.dump())
    .catch(() => undefined);
  return { success: true, message: 'success', code: 200, timestamp: Date.now(), result: { guid: r.guid } };
});

app.get('/health', async () => ({ status: 'ok' }));

void (async () => {
  await pool.query(`CREATE TABLE IF NOT EXISTS recognition_baseline (guid text, show_time timestamptz, device_key text, person_guid text, type smallint, rec_mode smallint, PRIMARY KEY (guid, show_time))`);
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write('ready\n');
})();
