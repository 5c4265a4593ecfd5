// npm run bench:transit — transit-validation under load on this machine, each figure beside a
// baseline measured in the same run (tools/bench/common). Starts the service from dist/ against
// a private schema and NATS stream, and a bare Fastify baseline (transit/baseline-server.ts).
// Options: --seconds N (load per figure and side, default 10), --cards N (default 1,000,000),
// --only card_check|location_report|full|incremental|import, --keep (leave the schema); BENCH_RATE
// (card_check's offered rate, 5,000), BENCH_NODE_ARGS (e.g. "--cpu-prof" for the service),
// BENCH_DATABASE_URL, NATS_URL.
import { randomBytes } from 'node:crypto';
import { TransitAdmin, wireTime } from '../sim/validator/client';
import { fmt, log, machine, prepareTarget, Proc, Report, rssMb, startBaseline, startService } from './common';
import { cardCheckFigures } from './transit/card-check';
import { cardNo, registerDevices, seedCards, Transit } from './transit/fixtures';
import { heartbeatFigure } from './transit/heartbeats';
import { cardImportFigure } from './transit/card-import';
import { fullListFigure, incrementalFigure } from './transit/lists';

const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const SECONDS = Number(option('seconds') ?? 10);
const CARDS = Number(option('cards') ?? 1_000_000);
const ONLY = option('only');
const phase = (name: string) => !ONLY || ONLY === name;

async function waitForCards(t: Transit): Promise<void> {
  const started = Date.now();
  while ((await t.devices[0].call('/card_check', { check_mode: 0, card_id: cardNo(CARDS - 1), time: wireTime() })).ret_code !== 0) {
    if (Date.now() - started > 120_000) throw new Error('the service never loaded the seeded cards');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  log(`transit-validation benchmark: ${machine()}, ${fmt(CARDS)} cards, ${SECONDS} s of load per figure and side`);
  const target = await prepareTarget('transit');
  const report = new Report();
  let service: Proc | undefined;
  let baseline: Proc | undefined;
  try {
    service = await startService('transit-validation', {
      env: { ...target.env, DB_POOL_SIZE: '10', TRANSIT_SECRET_KEY: randomBytes(32).toString('hex'), TRANSIT_TOKEN_KEY: randomBytes(32).toString('hex') },
    });
    const admin = new TransitAdmin(service.url, target.adminToken);
    const devices = await registerDevices(admin, service.url, 200);
    const seedStarted = Date.now();
    const version = await seedCards(target, CARDS);
    const t: Transit = { service, target, admin, devices, cards: CARDS, version };
    await waitForCards(t);
    log(`service pid ${service.pid}: ${devices.length} validators; ${fmt(CARDS)} cards seeded and loaded in ${fmt((Date.now() - seedStarted) / 1000, 1)} s; RSS ${fmt(rssMb(service.pid))} MB`);

    if (phase('card_check') || phase('location_report')) {
      // Bare Fastify, a Map of the cards and the same batched heartbeat INSERT: the floor under the service's figures.
      baseline = await startBaseline('tools/bench/transit/baseline-server.js', { env: { DATABASE_URL: target.databaseUrl, DB_SCHEMA: target.schema } });
      log(`baseline pid ${baseline.pid}`);
      if (phase('card_check')) await cardCheckFigures(t, baseline, report, SECONDS);
      if (phase('location_report')) await heartbeatFigure(t, baseline, report, SECONDS);
      await baseline.stop();
    }
    if (phase('full')) await fullListFigure(t, report);
    if (phase('incremental')) await incrementalFigure(t, report);
    // Last: it adds a million cards to the whitelist.
    if (phase('import')) await cardImportFigure(t, report);
  } finally {
    await baseline?.stop();
    await service?.stop();
    await target.cleanup();
  }
  report.print();
}

main().catch((error) => {
  process.stderr.write(`bench:transit failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
