// npm run bench:campus — campus-card over a ledger of 1,000,000 entries on this machine, each
// figure beside a baseline measured in the same run (tools/bench/common): bare Fastify over the
// same schema running the same statements and nothing else (campus/baseline-server.ts).
// Figures: a transactions page (OAuth2 token in the query) at a rate (p99 < 20 ms) and closed
// loop; payment notifications, each credited exactly once (≥ 1,000/s); POS purchases over every
// card (≥ 1,000/s) and on one card. Options: --seconds N (load per figure and side, default 10),
// --cards N (1,000), --entries N (ledger entries, 1,000,000), --only page|notify|pos, --keep;
// BENCH_RATE (the page's offered rate, 300), BENCH_NODE_ARGS, BENCH_DATABASE_URL, NATS_URL.
import { randomBytes } from 'node:crypto';
import { hashSecret } from '@onecard/platform';
import { fmt, log, machine, prepareTarget, Proc, Report, startBaseline, startService } from './common';
import { Campus, login } from './campus/campus';
import { cardNoOf, ledgerBalanced, seedCards, userCodeOf } from './campus/fixtures';
import { notificationFigure } from './campus/notifications';
import { pageFigures, purchaseFigures } from './campus/pages-and-purchases';

const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const SECONDS = Number(option('seconds') ?? 10);
const CARDS = Number(option('cards') ?? 1000);
const ENTRIES = Number(option('entries') ?? 1_000_000);
const ONLY = option('only');
const RATE = Number(process.env.BENCH_RATE ?? 300);
/** Cardholders who log in and page their transactions. */
const PAGING_HOLDERS = 40;
const phase = (name: string) => !ONLY || ONLY === name;

async function main(): Promise<void> {
  log(`campus-card benchmark: ${machine()}, ${fmt(CARDS)} cards, ${fmt(ENTRIES)} ledger entries, ${SECONDS} s of load per figure and side`);
  const target = await prepareTarget('campus');
  const report = new Report();
  const paymentSecret = randomBytes(24).toString('hex');
  let service: Proc | undefined;
  let baseline: Proc | undefined;
  try {
    service = await startService('campus-card', { env: { ...target.env, DB_POOL_SIZE: '20', PAYMENT_SECRET: paymentSecret, PHOTO_LINK_KEY: randomBytes(24).toString('hex') } });
    const seeding = Date.now();
    const password = randomBytes(9).toString('base64url');
    await seedCards(target, CARDS, ENTRIES, await hashSecret(password));
    const client = { clientId: 'bench-app', clientSecret: randomBytes(24).toString('hex'), redirectUri: 'https://bench.example/cb' };
    const created = await fetch(`${service.url}/admin/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret, redirectUris: [client.redirectUri], scopes: ['card_transactions'], grants: ['authorization_code'] }),
    });
    if (!created.ok) throw new Error(`POST /admin/clients: ${await created.text()}`);
    const tokens: string[] = [];
    for (let i = 1; i <= PAGING_HOLDERS; i++) tokens.push(await login(service.url, client, userCodeOf(i), password));
    const c: Campus = { target, service, paymentSecret, cards: Array.from({ length: CARDS }, (_, i) => cardNoOf(i + 1)), entriesPerCard: Math.round(ENTRIES / CARDS), tokens };
    log(`service pid ${service.pid}: ${fmt(CARDS)} cards and ${fmt(ENTRIES)} entries seeded, ${PAGING_HOLDERS} holders logged in, in ${fmt((Date.now() - seeding) / 1000, 1)} s`);
    baseline = await startBaseline('tools/bench/campus/baseline-server.js', { env: { DATABASE_URL: target.databaseUrl, DB_SCHEMA: target.schema, DB_POOL_SIZE: '20', PAYMENT_SECRET: paymentSecret } });
    log(`baseline pid ${baseline.pid}`);

    const since = new Date();
    if (phase('page')) await pageFigures(c, baseline, report, SECONDS, RATE);
    if (phase('notify')) await notificationFigure(c, baseline, report, SECONDS);
    if (phase('pos')) await purchaseFigures(c, baseline, report, SECONDS);
    const balanced = await ledgerBalanced(target, since);
    log(`cards whose balance is not the start plus their ledger since: ${balanced.unbalanced} of ${balanced.cards}`);
    if (balanced.unbalanced > 0) process.exitCode = 1;
  } finally {
    await baseline?.stop();
    await service?.stop();
    await target.cleanup();
  }
  report.print();
}

main().catch((error) => {
  process.stderr.write(`bench:campus failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
