// `npm start`: the whole of OneCard on one machine. Uses DATABASE_URL / NATS_URL when they
// answer, otherwise starts an embedded Postgres and a nats-server under ./.data; then gives each
// app a database role owning its schema, runs the five apps (each migrates its schema at
// start-up), waits for every /health, and prints where each listens. Ctrl-C stops the apps, then NATS, then Postgres, and exits 0; if
// anything dies on its own, everything stops and the exit code is 1.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bold, dim, prefixer, red, renderLogLine, seconds, table } from './format';
import { resolveNats, resolvePostgres } from './infra';
import { killAll, ManagedProcess, running, stopAll } from './managed-process';
import { APPS, AppSpec, childEnv, maskUrl } from './plan';
import { isPortFree, waitForHealth } from './probe';
import { appDatabaseUrls } from './roles';
import { loadDevSecrets } from './secrets';

/** dist/tools/dev/main.js → repository root, whatever the cwd. */
const ROOT = resolve(__dirname, '..', '..', '..');
const DATA_DIR = join(ROOT, '.data');
/** First start migrates five schemas; generous, but a hung app must still be named. */
const HEALTH_TIMEOUT_MS = Number(process.env.DEV_HEALTH_TIMEOUT_MS) || 90_000;

const label = prefixer([...APPS.map((a) => a.name), 'npm start']);
const say = (line: string) => process.stdout.write(`${label('npm start')}${line}\n`);
const shout = (line: string) => process.stderr.write(`${label('npm start')}${red(line)}\n`);

let stopping = false;

/** Stops everything in order (apps, NATS, Postgres) and exits; idempotent. */
async function shutdown(code: number, why: string): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  const order = [...running].sort((a, b) => a.options.stop.order - b.options.stop.order);
  if (order.length) say(`${why}: stopping ${order.map((p) => p.options.name).join(', ')}`);
  await stopAll((proc, clean) => say(`${proc.options.name} stopped${clean ? '' : ' (killed after the grace period)'}`));
  process.exit(code);
}

/** Something we started ended while it should be running: say which, show why, stop all. */
function onUnexpectedExit(proc: ManagedProcess): void {
  if (stopping || proc.stopRequested) return;
  shout(`${proc.options.name} ${proc.describeExit()}; its last lines:`);
  process.stderr.write(`${proc.tail.text('    ', renderLogLine)}\n`);
  void shutdown(1, `${proc.options.name} died`);
}

function startApp(app: AppSpec, env: Record<string, string>): ManagedProcess {
  const proc: ManagedProcess = new ManagedProcess({
    name: app.name,
    command: process.execPath,
    args: ['--enable-source-maps', join(ROOT, 'dist', 'apps', app.name, 'src', 'main.js')],
    spawn: { cwd: ROOT, env },
    onLine: (line) => process.stdout.write(`${label(app.name)}${renderLogLine(line)}\n`),
    onExit: () => onUnexpectedExit(proc),
    // Nest's shutdown hooks close HTTP, drain NATS and the DB pool on SIGTERM.
    stop: { order: 1, signal: 'SIGTERM', graceMs: 10_000 },
  });
  return proc;
}

async function main(): Promise<void> {
  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!stopping) {
        firstSignalAt = Date.now();
        return void shutdown(0, signal === 'SIGINT' ? 'Ctrl-C' : signal);
      }
      // One Ctrl-C often arrives twice (the terminal signals the whole group, and npm forwards
      // it again): only a later, deliberate second one skips the grace periods.
      if (Date.now() - firstSignalAt < 1000) return;
      shout('stopping now (SIGKILL)');
      killAll();
      process.exit(130);
    });
  }
  process.on('exit', killAll);
  process.on('uncaughtException', (error) => void (shout(`launcher error: ${error.stack ?? error.message}`), shutdown(1, 'launcher error')));
  process.on('unhandledRejection', (error) => void (shout(`launcher error: ${String(error)}`), shutdown(1, 'launcher error')));

  const missing = APPS.filter((a) => !existsSync(join(ROOT, 'dist', 'apps', a.name, 'src', 'main.js')));
  if (missing.length) throw new Error(`not built: ${missing.map((a) => a.name).join(', ')}; run npm run build (npm start does)`);
  for (const app of APPS) {
    if (!(await isPortFree(app.port, '0.0.0.0'))) throw new Error(`port ${app.port} for ${app.name} is in use (another npm start still running?)`);
  }

  const { secrets, added } = loadDevSecrets(join(DATA_DIR, 'dev-secrets.json'));
  if (added.length) say(`generated dev values for ${added.join(', ')} into .data/dev-secrets.json (kept for next runs)`);

  const ctx = { dataDir: DATA_DIR, env: process.env, say, onExit: onUnexpectedExit };
  const db = await resolvePostgres(ctx);
  const nats = await resolveNats(ctx);
  say(`Postgres ${maskUrl(db.url)} (${db.note})`);
  say(`NATS     ${nats.url} (${nats.note})`);

  const databaseUrls = await appDatabaseUrls(APPS, db.url, secrets.DB_ROLE_KEY, say);

  const started = Date.now();
  const procs = APPS.map((app) => {
    const env = childEnv(process.env, app, { databaseUrl: databaseUrls.get(app.name) ?? db.url, natsUrl: nats.url }, secrets);
    return { app, proc: startApp(app, env) };
  });
  const deadline = started + HEALTH_TIMEOUT_MS;
  const results = await Promise.all(
    procs.map(async ({ app, proc }) => {
      const health = await waitForHealth(`http://127.0.0.1:${app.port}/health`, deadline, () => proc.exited);
      return { app, proc, health, ms: Date.now() - started };
    }),
  );
  if (stopping) return; // an app died meanwhile; onUnexpectedExit reports and stops all
  const late = results.filter((r) => !r.health.ok);
  if (late.length) {
    for (const { app, proc, health } of late) {
      shout(`${app.name} did not answer GET /health with 200 within ${seconds(HEALTH_TIMEOUT_MS)} (last: ${health.last}); its last lines:`);
      process.stderr.write(`${proc.tail.text('    ', renderLogLine)}\n`);
    }
    return void shutdown(1, 'start-up timed out');
  }

  const adminToken = process.env.ADMIN_TOKEN || secrets.ADMIN_TOKEN;
  const tokenSource = process.env.ADMIN_TOKEN ? 'from the environment' : 'dev value from .data/dev-secrets.json';
  const rows = results.map(({ app, ms }) => [app.name, `http://127.0.0.1:${app.port}`, `http://127.0.0.1:${app.port}/docs`, seconds(ms)]);
  process.stdout.write(`\n${bold('OneCard is up')}\n${table(['app', 'URL', 'docs', 'healthy after'], rows)}\n`);
  process.stdout.write(`${dim('Postgres')}  ${maskUrl(db.url)}\n${dim('NATS')}      ${nats.url}\n${dim('ADMIN_TOKEN')} ${adminToken}  ${dim(`(${tokenSource}; Authorization: Bearer …)`)}\n`);
  process.stdout.write(`${dim('Ctrl-C stops everything.')}\n\n`);
}

main().catch((error: unknown) => {
  shout((error as Error)?.message ?? String(error));
  void shutdown(1, 'start-up failed');
});
