// npm run bench:transit — transit-validation under load on this machine, each figure beside a
// baseline measured in the same run. Starts the service itself (dist build) against a private
// schema of the `onecard_bench` database and a private NATS stream/prefix; everything on
// 127.0.0.1 and bounded in time. Options: --seconds N (per load, default 10), --connections N
// (default 20), --cards N (default 1,000,000), --only card_check|location_report|full|incremental|import,
// --keep (leave the schema for inspection), --semi-space MB (V8's young generation for the
// service and the baseline alike; see README). BENCH_DATABASE_URL, NATS_URL, BENCH_NODE_ARGS
// (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { TransitAdmin, ValidatorDevice, wireTime } from '../sim/validator/client';
import { cardNo, seedCards } from './transit/fixtures';
import { load, percentile, sleep, timed } from './transit/load';
import { freePort } from '../common/local';
import { prepareDatabase, rssMb, sampleRss, startNode, Started, withClient } from './transit/processes';
import { Context, describeLoad, drainOutbox, fmt, log, rows } from './transit/context';
import { cardCheckFigure } from './transit/card-check';
import { heartbeatFigure } from './transit/heartbeats';
import { cardImportFigure } from './transit/card-import';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = option('seconds', 10);
const CONNECTIONS = option('connections', 20);
const CARDS = option('cards', 1_000_000);
const DEVICES = 200;
const WORKERS = option('workers', 1);
/** --semi-space MB: `--max-semi-space-size` for the service and the baseline (unset: Node's default). */
const SEMI_SPACE = option('semi-space', 0);
const heapArgs = SEMI_SPACE > 0 ? [`--max-semi-space-size=${SEMI_SPACE}`] : [];
const KEEP = process.argv.includes('--keep');
/** --only card_check|location_report|full|incremental|import: run just that figure. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const phase = (name: string) => !ONLY || ONLY === name;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/onecard_bench';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ADMIN_TOKEN = `bench-admin-${randomBytes(8).toString('hex')}`;
const RUN = randomBytes(3).toString('hex');
const SCHEMA = `transit_bench_${RUN}`;
const NATS_PREFIX = `bench${RUN}.`;
const NATS_STREAM = `ONECARD_BENCH_${RUN.toUpperCase()}`;
const dist = join(__dirname, '..', '..');
const schemaUrl = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${SCHEMA}`)}`;

async function startService(port: number): Promise<Started> {
  const env = {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL,
    DB_SCHEMA: SCHEMA,
    DB_POOL_SIZE: '10',
    NATS_URL,
    NATS_STREAM,
    NATS_SUBJECT_PREFIX: NATS_PREFIX,
    ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    TRANSIT_SECRET_KEY: randomBytes(32).toString('hex'),
    TRANSIT_TOKEN_KEY: randomBytes(32).toString('hex'),
    // --workers N: N processes behind one port (the platform's WORKERS).
    WORKERS: String(WORKERS),
  };
  const nodeArgs = [...heapArgs, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const started = await startNode(join(dist, 'apps/transit-validation/src/main.js'), env, undefined, 60_000, nodeArgs);
  for (let i = 0; i < 300; i++) {
    if (started.child.exitCode !== null) break;
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return started;
    await sleep(100);
  }
  await started.stop();
  throw new Error(`service never became healthy:\n${started.output.slice(-20).join('')}`);
}

async function fullListFigure(ctx: Context): Promise<void> {
  const device = ctx.devices[1];
  const times: number[] = [];
  let extraRss = 0;
  let bytes = 0;
  for (let run = 0; run < 3; run++) {
    await sleep(500);
    const rssBefore = rssMb(ctx.service.pid);
    const sampler = sampleRss(ctx.service.pid);
    const { ms, value: text } = await timed(async () => {
      const res = await fetch(`${ctx.url}/get_card_list`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: device.token, device_id: device.deviceId, type: 1 }),
      });
      return res.text();
    });
    extraRss = Math.max(extraRss, sampler.stop() - rssBefore);
    times.push(ms);
    bytes = Buffer.byteLength(text);
    const parsed = JSON.parse(text) as { ret_code: number; version: string; list: unknown[] };
    if (parsed.ret_code !== 0 || parsed.list.length !== CARDS || parsed.version !== String(ctx.version)) {
      throw new Error(`full list wrong: ret_code ${parsed.ret_code}, ${parsed.list.length} cards, version ${parsed.version}`);
    }
  }
  const copyTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    const sql = `COPY (SELECT card_no, flag FROM "${SCHEMA}".whitelist_card WHERE NOT removed ORDER BY card_no) TO STDOUT`;
    const { ms } = await timed(
      () =>
        new Promise<void>((resolve, reject) => {
          const psql = spawn('psql', [DATABASE_URL, '-X', '-q', '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
          psql.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}`))));
        }),
    );
    copyTimes.push(ms);
  }
  log(`full list: ${times.map((t) => fmt(t)).join(', ')} ms (${fmt(bytes / 1e6, 1)} MB); peak extra RSS ${fmt(extraRss, 1)} MB; COPY baseline ${copyTimes.map((t) => fmt(t)).join(', ')} ms`);
  rows.push({
    figure: `full list, ${fmt(CARDS)} cards`,
    service: `${fmt(percentile(times, 50) / 1000, 2)} s median (best ${fmt(Math.min(...times) / 1000, 2)} s), +${fmt(extraRss)} MB RSS`,
    baseline: `COPY TO STDOUT ${fmt(percentile(copyTimes, 50) / 1000, 2)} s median`,
    target: '< 2 s, < 200 MB extra RSS',
    ok: percentile(times, 50) < 2000 && extraRss < 200,
  });
}

async function incrementalFigure(ctx: Context): Promise<void> {
  const device = ctx.devices[2];
  device.versionAll = String(ctx.version);
  device.versionAdd = String(ctx.version);
  await device.call('/location_report', device.heartbeatBody());
  // Lines the seed never gives: every one of these is a real change.
  for (let i = 0; i < 10; i++) await ctx.admin.call('POST', '/admin/cards', { card_no: cardNo(100 + i * 1000), flag: i % 2, line_ids: ['L2'] });
  const times: number[] = [];
  for (let run = 0; run < 30; run++) {
    const { ms, value } = await timed(() => device.call('/get_card_list', { type: 2 }));
    if (value.ret_code !== 0 || (value.list as unknown[]).length !== 10) throw new Error(`incremental list wrong: ${JSON.stringify(value).slice(0, 300)}`);
    times.push(ms);
  }
  const sqlTimes: number[] = [];
  await withClient(schemaUrl, async (client) => {
    for (let run = 0; run < 30; run++) {
      const sql = `SELECT card_no, CASE WHEN removed THEN 0 ELSE flag END AS flag FROM whitelist_card WHERE version > $1 ORDER BY version, card_no`;
      sqlTimes.push((await timed(() => client.query(sql, [ctx.version]))).ms);
    }
  });
  log(`incremental: median ${fmt(percentile(times, 50), 1)} ms, max ${fmt(Math.max(...times), 1)} ms; SQL baseline median ${fmt(percentile(sqlTimes, 50), 2)} ms`);
  rows.push({
    figure: 'incremental list, 10 changes',
    service: `${fmt(percentile(times, 50), 1)} ms median, ${fmt(percentile(times, 99), 1)} ms p99 (HTTP round trip)`,
    baseline: `plain SQL ${fmt(percentile(sqlTimes, 50), 2)} ms median`,
    target: '< 20 ms',
    ok: percentile(times, 99) < 20,
  });
}

async function main(): Promise<void> {
  log(`transit-validation benchmark: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${fmt(CARDS)} cards, ${SECONDS} s per load, ${CONNECTIONS} connections${SEMI_SPACE ? `, --max-semi-space-size=${SEMI_SPACE}` : ''}`);
  await prepareDatabase(DATABASE_URL, SCHEMA);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await startService(port);
  let baseline: Started | undefined;
  try {
    log(`service pid ${service.pid} on ${url}, schema ${SCHEMA}`);
    const admin = new TransitAdmin(url, ADMIN_TOKEN);
    const devices: ValidatorDevice[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const id = `BENCH-${String(i).padStart(4, '0')}`;
      const device = new ValidatorDevice(url, id, await admin.registerDevice(id, i % 2 ? 'L1' : 'L2'));
      await device.login();
      devices.push(device);
    }
    log(`${DEVICES} devices registered and logged in`);

    const seeded = await timed(() => seedCards(schemaUrl, SCHEMA, CARDS));
    const version = seeded.value;
    log(`seeded ${fmt(CARDS)} cards (one INSERT … SELECT generate_series) in ${fmt(seeded.ms / 1000, 1)} s at version ${version}`);
    const loadStarted = Date.now();
    for (;;) {
      const answer = await devices[0].call('/card_check', { check_mode: 0, card_id: cardNo(CARDS - 1), time: wireTime() });
      if (answer.ret_code === 0) break;
      if (Date.now() - loadStarted > 120_000) throw new Error('service never loaded the seeded cards');
      await sleep(200);
    }
    log(`service whitelist cache current after ${fmt((Date.now() - loadStarted) / 1000, 1)} s; service RSS ${fmt(rssMb(service.pid))} MB`);
    const ctx: Context = { url, service, admin, devices, version, schemaUrl, seconds: SECONDS, connections: CONNECTIONS, cards: CARDS };

    if (phase('card_check') || phase('location_report')) {
      const basePort = await freePort();
      baseline = await startNode(join(dist, 'tools/bench/transit/baseline-server.js'), { DATABASE_URL, DB_SCHEMA: SCHEMA, PORT: String(basePort) }, /ready (\d+) (\d+)/, 120_000, heapArgs);
      ctx.baseUrl = `http://127.0.0.1:${basePort}`;
      ctx.basePid = baseline.pid;
      log(`baseline server (bare Fastify + Map + pg) pid ${baseline.pid} on ${ctx.baseUrl}`);
      if (phase('card_check')) await cardCheckFigure(ctx);
      if (phase('location_report')) await heartbeatFigure(ctx);
      await baseline.stop();
      baseline = undefined;
    }
    if (phase('full')) await fullListFigure(ctx);
    if (phase('incremental')) await incrementalFigure(ctx);
    // Last: it adds a million cards to the whitelist.
    if (phase('import')) await cardImportFigure(ctx, ADMIN_TOKEN, seeded.ms);
  } finally {
    await baseline?.stop();
    await service.stop();
    if (!KEEP) await withClient(DATABASE_URL, (client) => client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`)).catch(() => undefined);
    const nc = await connect({ servers: NATS_URL }).catch(() => undefined);
    if (nc) {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(NATS_STREAM).catch(() => undefined);
      await nc.close();
    }
  }

  log('');
  log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on this machine skews every figure, service and baseline alike)`);
  const widths = [30, 60, 40, 28];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  log(line(['figure', 'service', 'baseline (same run)', 'target', 'met']));
  for (const r of rows) log(line([r.figure, r.service, r.baseline, r.target, r.ok ? 'yes' : 'NO']));
}

main().catch((error) => {
  process.stderr.write(`bench:transit failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
