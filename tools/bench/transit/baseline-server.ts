// The benchmark's floor: a bare Fastify process doing the same lookups and the same batched
// heartbeat INSERT as transit-validation, without Nest, validation, tokens, outbox or envelope.
// Started by tools/bench/transit.ts as its own process, like the service.
import fastify from 'fastify';
import { Pool } from 'pg';

const url = process.env.DATABASE_URL!;
const schema = process.env.DB_SCHEMA!;
const port = Number(process.env.PORT ?? 0);

const pool = new Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
const cards = new Map<string, number>();

async function loadCards(): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await pool.query(`SELECT card_no, flag FROM whitelist_card WHERE NOT removed AND card_no > $1 ORDER BY card_no LIMIT 50000`, [after]);
    for (const r of rows) cards.set(r.card_no, r.flag);
    if (rows.length < 50000) return;
    after = rows[rows.length - 1].card_no;
  }
}

interface Row {
  device_id: string;
  time: string;
  lng?: string;
  lat?: string;
  speed?: string;
  course?: string;
}

let buffer: Row[] = [];
let timer: NodeJS.Timeout | undefined;

async function flush(): Promise<void> {
  timer = undefined;
  const rows = buffer;
  buffer = [];
  if (rows.length === 0) return;
  const now = new Date();
  const num = (v?: string) => (v === undefined || v === '' ? null : Number(v));
  await pool.query(
    `INSERT INTO location_report (device_id, received_at, device_time, lng, lat, course, speed)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])`,
    [rows.map((r) => r.device_id), rows.map(() => now), rows.map(() => now), rows.map((r) => num(r.lng)), rows.map((r) => num(r.lat)), rows.map((r) => num(r.course)), rows.map((r) => num(r.speed))],
  );
}

async function main(): Promise<void> {
  await loadCards();
  const app = fastify({ logger: false });
  app.post('/card_check', async (request) => {
    const body = request.body as { req_id?: string; card_id?: string };
    const flag = cards.get(String(body.card_id ?? '').toUpperCase());
    if (flag === undefined) return { req_id: body.req_id, ret_code: 2001, ret_msg: 'not listed', sound_no: 1 };
    if (flag === 0) return { req_id: body.req_id, ret_code: 2002, ret_msg: 'invalid', sound_no: 2 };
    return { req_id: body.req_id, ret_code: 0, ret_msg: '成功', sound_no: 0 };
  });
  app.post('/location_report', async (request) => {
    const body = request.body as Row & { req_id?: string };
    buffer.push(body);
    if (buffer.length >= 2000) void flush();
    else timer ??= setTimeout(() => void flush(), 50);
    return { req_id: body.req_id, enterprise_id: '398', ret_code: 0, ret_msg: '成功', server_time: new Date().toISOString(), version_code: '1' };
  });
  app.post('/flush', async () => {
    clearTimeout(timer);
    await flush();
    return { ok: true };
  });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : port} ${cards.size}\n`);
}

main().catch((error) => {
  process.stderr.write(`baseline server failed: ${(error as Error).message}\n`);
  process.exit(1);
});
