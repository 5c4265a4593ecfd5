// `npm run bench:campus`: campus-card against a database of BENCH_CARDS cardholders and
// BENCH_LEDGER_ENTRIES ledger entries (1,000,000), each figure beside a BASELINE measured in the
// same run, in alternating slices: bare Fastify over the same schema doing the same database work
// and nothing else (tools/bench/campus/baseline-server.ts). Load from autocannon.
//
// Figures:
// - transactions page (GET /v1/me/card/transactions, 20 a page, OAuth token in the query): p99 at
//   BENCH_PAGE_RATE offered req/s (latency corrected for coordinated omission), and the closed-loop
//   capacity; target p99 < 20 ms.
// - payment notifications (POST /v1/payment/notify, signed form): closed loop, each send a new
//   order's notification except every tenth, a repeat of one sent before; checked afterwards
//   exactly once (credited orders = ledger entries = distinct notifications); target ≥ 1,000/s.
// - POS purchases (POST /admin/transactions): closed loop over every card, and all on one card
//   (serialised by its row); target ≥ 1,000/s; every card's balance checked against its ledger.
//
// Environment: BENCH_CARDS (1000), BENCH_LEDGER_ENTRIES (1000000), BENCH_SECONDS (10 per figure and
// side, in 2 slices), BENCH_CONNECTIONS (20), BENCH_PAGE_RATE (300), BENCH_DB_POOL_SIZE (20),
// BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/onecard_bench), NATS_URL; BENCH_FIGURES
// (page,notify,pos: a subset), BENCH_NODE_ARGS (e.g. --cpu-prof, passed to the service's node).
import { createHmac, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { ensureDatabase, hashSecret } from '@onecard/platform';
import { freePort } from '../common/local';
import { cardNoOf, credited, dropSchema, ledgerBalanced, seedCards, seedOrders, userCodeOf } from './campus/fixtures';
import { BenchProcess, postgresCpuSeconds } from './campus/processes';

const ROOT = resolve(__dirname, '..', '..', '..');
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const CARDS = num('BENCH_CARDS', 1000);
const ENTRIES = num('BENCH_LEDGER_ENTRIES', 1_000_000);
const SECONDS = num('BENCH_SECONDS', 10);
const CONNECTIONS = num('BENCH_CONNECTIONS', 20);
const PAGE_RATE = num('BENCH_PAGE_RATE', 300);
const POOL = process.env.BENCH_DB_POOL_SIZE || '20';
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/onecard_bench';
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const ROUNDS = 2;
/** Cardholders who log in (the real authorization code flow) and page their transactions. */
const PAGING_HOLDERS = 40;
const PAYMENT_SECRET = randomBytes(24).toString('hex');
const FIGURES = new Set((process.env.BENCH_FIGURES || 'page,notify,pos').split(','));
const target = { databaseUrl: DATABASE_URL, schema: 'campus_card_bench' };
const say = (line = '') => process.stdout.write(`${line}\n`);

type Request = autocannon.Request & { onResponse?: (status: number, body: string) => void };
interface Side {
  name: 'service' | 'baseline';
  url: string;
  process: BenchProcess;
}
interface Measured {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  cpuPerRequestMs: number;
  postgresPerRequestMs: number;
}

const aggregate = (autocannon as unknown as { aggregateResult(results: unknown[], opts: { url: string }): autocannon.Result }).aggregateResult;

/** One slice of load on one side; results kept raw so slices pool into one histogram. */
async function slice(side: Side, requests: Request[], seconds: number, rate?: number): Promise<{ raw: unknown; cpu: number; pg: number }> {
  const before = { cpu: side.process.cpuSeconds(), pg: postgresCpuSeconds() };
  const raw = await autocannon({ url: side.url, connections: CONNECTIONS, duration: seconds, requests, overallRate: rate, skipAggregateResult: true } as autocannon.Options);
  return { raw, cpu: side.process.cpuSeconds() - before.cpu, pg: postgresCpuSeconds() - before.pg };
}

/** The figure on both sides, alternating slices so whatever else runs weighs on both alike. */
async function compare(sides: [Side, Side], requests: (side: Side) => Request[], rate?: number): Promise<Record<Side['name'], Measured>> {
  const parts: Record<string, Array<Awaited<ReturnType<typeof slice>>>> = { service: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of sides) parts[side.name].push(await slice(side, requests(side), SECONDS / ROUNDS, rate));
  }
  const out = {} as Record<Side['name'], Measured>;
  for (const side of sides) {
    const r = aggregate(parts[side.name].map((p) => p.raw), { url: side.url });
    const answered = r['2xx'] + r.non2xx;
    // The slices ran one after another: their seconds add (the pooled result's duration is one slice's).
    const seconds = parts[side.name].reduce((sum, p) => sum + (p.raw as { duration: number }).duration, 0);
    out[side.name] = {
      requests: answered,
      seconds,
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
      cpuPerRequestMs: (parts[side.name].reduce((s, p) => s + p.cpu, 0) * 1000) / Math.max(answered, 1),
      postgresPerRequestMs: (parts[side.name].reduce((s, p) => s + p.pg, 0) * 1000) / Math.max(answered, 1),
    };
  }
  return out;
}

const rate = (m: Measured) => Math.round(m.requests / m.seconds);
// Postgres's CPU is summed over its live processes: a backend of another client ending mid-slice
// takes its seconds with it, so a negative difference means "unknown", not "free".
const postgres = (m: Measured) => (m.postgresPerRequestMs >= 0 ? `${m.postgresPerRequestMs.toFixed(2)} ms` : 'n/a');
const describe = (m: Measured) =>
  `${rate(m).toLocaleString('en')} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, max ${m.max} ms; CPU per answer ${m.cpuPerRequestMs.toFixed(2)} ms, Postgres ${postgres(m)}` +
  (m.non2xx || m.errors ? `; ${m.non2xx} non-2xx, ${m.errors} errors` : '');

/** A cardholder's token through the real authorization code flow. */
async function login(url: string, client: { clientId: string; clientSecret: string; redirectUri: string }, userCode: string, password: string): Promise<string> {
  const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' as const });
  const authorized = await fetch(`${url}/oauth/authorize`, form({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'card_transactions', username: userCode, password }));
  const code = new URL(authorized.headers.get('location') ?? 'x:/').searchParams.get('code');
  if (!code) throw new Error(`no code for ${userCode}: ${authorized.status} ${await authorized.text()}`);
  const token = await fetch(`${url}/oauth/token`, form({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: client.clientSecret }));
  return ((await token.json()) as { access_token: string }).access_token;
}

function notice(id: string, amount: string): string {
  const fields = { id, amount, payTime: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '), status: 'SUCCESS' };
  const sign = createHmac('sha256', PAYMENT_SECRET).update(`${fields.id}|${fields.amount}|${fields.payTime}|${fields.status}`).digest('hex');
  return new URLSearchParams({ ...fields, sign }).toString();
}

type Row = [figure: string, service: Measured, baseline: Measured, target: string, ok: boolean];

/** Pages 1 to 5 (20 entries each) of the paging holders' cards. */
const pageRequests = (tokens: string[]) => (side: Side): Request[] =>
  tokens.flatMap((token, i) =>
    [0, 20, 40, 60, 80].map((start) => ({
      method: 'GET' as const,
      path: `${side.name === 'service' ? '/v1/me/card/transactions' : '/page'}?access_token=${token}&cardNo=${cardNoOf(i + 1)}&start=${start}&limit=20`,
    })),
  );

async function checkPage(url: string, path: string): Promise<void> {
  const page = (await fetch(`${url}${path}`).then((r) => r.json())) as { errno: number; total: number; entities: unknown[] };
  if (page.errno !== 0 || page.total !== Math.round(ENTRIES / CARDS) || page.entities.length !== 20) throw new Error(`unexpected page: ${JSON.stringify(page).slice(0, 300)}`);
}

/** 1. A transactions page of a card with ENTRIES/CARDS entries: paced for p99, then closed loop. */
async function pageFigures(sides: [Side, Side], tokens: string[]): Promise<Row[]> {
  const paced = await compare(sides, pageRequests(tokens), PAGE_RATE);
  const closed = await compare(sides, pageRequests(tokens));
  return [
    [`transactions page (20 of ${Math.round(ENTRIES / CARDS)} entries of a card, ${ENTRIES.toLocaleString('en')} in the ledger), ${PAGE_RATE}/s offered`, paced.service, paced.baseline, 'p99 < 20 ms', paced.service.p99 < 20],
    ['transactions page, closed loop', closed.service, closed.baseline, 'capacity', true],
  ];
}

/** 2. Payment notifications, closed loop: a new order each send, every tenth a repeat; then checked exactly once. */
async function notifyFigure(sides: [Side, Side], refused: { count: number }): Promise<{ row: Row; exactlyOnce: boolean }> {
  const cards = Array.from({ length: CARDS }, (_, i) => cardNoOf(i + 1));
  const orders = { service: await seedOrders(target, 'S', cards, 200_000, 1000), baseline: await seedOrders(target, 'B', cards, 200_000, 1000) };
  const sent = { service: new Set<string>(), baseline: new Set<string>() };
  const cursor = { service: 0, baseline: 0 };
  const requests = (side: Side): Request[] => [
    {
      method: 'POST',
      path: side.name === 'service' ? '/v1/payment/notify' : '/notify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest: (request) => {
        const n = ++cursor[side.name];
        const id = n % 10 === 0 && n > 5 ? orders[side.name][n - 6] : orders[side.name][n - 1];
        sent[side.name].add(id);
        return { ...request, body: notice(id, '10.00') };
      },
      onResponse: (_status: number, body: string) => {
        if (!body.startsWith('{"errno":0')) refused.count++;
      },
    },
  ];
  const notes = await compare(sides, requests);
  const once = await credited(target, [...sent.service]);
  // Exactly once: one ledger entry per credited order, never two; every order sent credited but
  // the few still in flight when a slice stopped (sent, answer not awaited).
  const exactlyOnce = once.entries === once.distinct && once.recharged === once.entries && sent.service.size - once.recharged <= CONNECTIONS * ROUNDS && refused.count === 0;
  const row: Row = [
    `payment notifications (${cursor.service.toLocaleString('en')} sends, every tenth a repeat, for ${sent.service.size.toLocaleString('en')} orders: ${once.recharged.toLocaleString('en')} credited by ${once.entries.toLocaleString('en')} entries${exactlyOnce ? ', exactly once' : ', MISMATCH'})`,
    notes.service,
    notes.baseline,
    '≥ 1,000/s, exactly once',
    exactlyOnce && rate(notes.service) >= 1000,
  ];
  return { row, exactlyOnce };
}

/** 3. POS purchases of 0.01 yuan, closed loop: spread over every card, then all on one card. */
async function posFigures(sides: [Side, Side], adminToken: string, refused: { count: number }): Promise<Row[]> {
  const pos = (cardNo: (i: number) => string) => (side: Side): Request[] =>
    Array.from({ length: 200 }, (_, i) => ({
      method: 'POST' as const,
      path: side.name === 'service' ? '/admin/transactions' : '/pos',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ cardNo: cardNo(i), merchantNo: 'M001', merchant: '大众餐厅', system: '新闵行第二食堂', amount: 0.01 }),
      onResponse: (_status: number, body: string) => {
        if (!body.startsWith('{"errno":0')) refused.count++;
      },
    }));
  const spread = await compare(sides, pos((i) => cardNoOf(1 + ((i * 7) % CARDS))));
  const single = await compare(sides, pos(() => cardNoOf(CARDS)));
  // One card's purchases queue on its row lock, held until each commit's WAL flush: this figure
  // is the commit latency of the machine, the same for the baseline; shown, not a target.
  return [
    [`POS purchases over ${CARDS.toLocaleString('en')} cards`, spread.service, spread.baseline, '≥ 1,000/s', rate(spread.service) >= 1000 && refused.count === 0],
    ['POS purchases, all on one card (serialised by its row lock until each commit)', single.service, single.baseline, 'none (commit-bound)', refused.count === 0],
  ];
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await dropSchema(target);
  const adminToken = randomBytes(24).toString('base64url');
  const [servicePort, baselinePort] = [await freePort(), await freePort()];
  const service: Side = {
    name: 'service',
    url: `http://127.0.0.1:${servicePort}`,
    process: new BenchProcess('campus-card', BenchProcess.built(ROOT, 'apps/campus-card/src/main.js'), {
      NODE_ENV: 'production', PORT: String(servicePort), HOST: '127.0.0.1', DATABASE_URL, DB_SCHEMA: target.schema, DB_POOL_SIZE: POOL, NATS_URL,
      NATS_STREAM: `ONECARD_BENCH_${randomBytes(3).toString('hex').toUpperCase()}`, NATS_SUBJECT_PREFIX: `bench${randomBytes(3).toString('hex')}.`,
      ADMIN_TOKEN: adminToken, PAYMENT_SECRET, PHOTO_LINK_KEY: randomBytes(24).toString('hex'), LOG_LEVEL: 'warn',
    }, (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)),
  };
  let baseline: Side | undefined;
  try {
    await service.process.waitHealthy(service.url);
    baseline = {
      name: 'baseline',
      url: `http://127.0.0.1:${baselinePort}`,
      process: new BenchProcess('baseline', BenchProcess.built(ROOT, 'tools/bench/campus/baseline-server.js'), { PORT: String(baselinePort), DATABASE_URL, DB_SCHEMA: target.schema, DB_POOL_SIZE: POOL, PAYMENT_SECRET }),
    };
    await baseline.process.waitHealthy(baseline.url);
    const sides: [Side, Side] = [service, baseline];

    say(`campus-card benchmark: ${cpus().length} CPU(s) shared by the service, the baseline, Postgres and autocannon; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const seeding = Date.now();
    const password = randomBytes(9).toString('base64url');
    await seedCards(target, CARDS, ENTRIES, await hashSecret(password));
    say(`seeded ${CARDS.toLocaleString('en')} cards and ${ENTRIES.toLocaleString('en')} ledger entries in ${((Date.now() - seeding) / 1000).toFixed(0)} s`);

    const client = { clientId: 'bench-app', clientSecret: randomBytes(24).toString('hex'), redirectUri: 'https://bench.example/cb' };
    const created = await fetch(`${service.url}/admin/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret, redirectUris: [client.redirectUri], scopes: ['card_transactions'], grants: ['authorization_code'] }),
    });
    if (!created.ok) throw new Error(`POST /admin/clients: ${await created.text()}`);
    const tokens: string[] = [];
    for (let i = 1; i <= PAGING_HOLDERS; i++) tokens.push(await login(service.url, client, userCodeOf(i), password));
    const since = new Date();
    const report: Row[] = [];
    const refused = { count: 0 };
    // Warm-up, not recorded: connections, caches, the JIT of both processes.
    for (const side of sides) await slice(side, pageRequests(tokens)(side), 3);
    await checkPage(service.url, pageRequests(tokens)(service)[0].path as string);
    if (FIGURES.has('page')) report.push(...(await pageFigures(sides, tokens)));
    let exactlyOnce = true;
    if (FIGURES.has('notify')) {
      const notified = await notifyFigure(sides, refused);
      exactlyOnce = notified.exactlyOnce;
      report.push(notified.row);
    }
    if (FIGURES.has('pos')) report.push(...(await posFigures(sides, adminToken, refused)));
    const balanced = await ledgerBalanced(target, since);

    say();
    say('| figure | service | baseline, same run | target |');
    say('| --- | --- | --- | --- |');
    for (const [figure, s, b, goal, ok] of report) say(`| ${figure} | ${describe(s)} | ${describe(b)} | ${goal}${goal.startsWith('none') || goal === 'capacity' ? '' : `: ${ok ? 'met' : 'NOT met'}`} |`);
    say();
    say(`refused answers (errno ≠ 0) during notifications and purchases: ${refused.count}; cards whose balance ≠ start + ledger since: ${balanced.unbalanced} of ${balanced.cards}`);
    say(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (anything else on these ${cpus().length} CPUs weighs on every figure)`);
    if (balanced.unbalanced > 0 || !exactlyOnce) process.exitCode = 1;
  } catch (error) {
    process.stderr.write(`bench:campus failed: ${(error as Error).message}\nservice's last lines:\n${service.process.lastLines()}\n`);
    process.exitCode = 1;
  } finally {
    await service.process.stop();
    await baseline?.process.stop();
    await dropSchema(target).catch(() => undefined);
  }
}

void main();
