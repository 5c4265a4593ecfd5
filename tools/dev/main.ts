// `npm start`: the whole of OneCard on one machine. Uses DATABASE_URL / NATS_URL when they
// answer, otherwise starts an embedded Postgres and a nats-server under ./.data; then gives each
// app a database role owning its schema, runs the five apps (each migrates its schema at
// start-up) and the operator console, waits for every /health, and prints where each listens. An app that crashes later
// is restarted with backoff (supervision.ts); Postgres or NATS started here dying stops
// everything with exit code 1. Ctrl-C stops the apps, then NATS, then Postgres, and exits 0.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bold, dim, prefixer, red, renderLogLine, seconds, table } from './format';
import { resolveNats, resolvePostgres } from './infra';
import { killAll, ManagedProcess } from './managed-process';
import { APPS, appsFor, childEnv, CONSOLE, consoleEnv, consoleFor, maskUrl, ServiceSpec } from './plan';
import { isPortFree, waitForHealth } from './probe';
import { appDatabaseUrls } from './roles';
import { loadDevSecrets } from './secrets';
import { Supervisor } from './supervisor';

/** dist/tools/dev/main.js → repository root, whatever the cwd. */
const ROOT = resolve(__dirname, '..', '..', '..');
const DATA_DIR = join(ROOT, '.data');
/** First start migrates five schemas; generous, but a hung app must still be named. */
const HEALTH_TIMEOUT_MS = Number(process.env.DEV_HEALTH_TIMEOUT_MS) || 90_000;

const label = prefixer([...APPS.map((a) => a.name), CONSOLE.name, 'npm start']);
const say = (line: string) => process.stdout.write(`${label('npm start')}${line}\n`);
const shout = (line: string) => process.stderr.write(`${label('npm start')}${red(line)}\n`);

const supervisor = new Supervisor({
  spawnApp: (app, onExit) => startApp(app, appEnvs.get(app.name)!, onExit),
  waitHealthy: (app, deadline, gaveUp) => waitForHealth(`http://127.0.0.1:${app.port}/health`, deadline, gaveUp),
  say,
  shout: (line, details) => {
    shout(line);
    if (details) process.stderr.write(`${details}\n`);
  },
});
void supervisor.done.then((code) => process.exit(code));
/** Each app's environment, fixed once the infrastructure is known; restarts reuse it. */
const appEnvs = new Map<string, Record<string, string>>();

function startApp(app: ServiceSpec, env: Record<string, string>, onExit: () => void): ManagedProcess {
  return new ManagedProcess({
    name: app.name,
    command: process.execPath,
    args: ['--enable-source-maps', join(ROOT, 'dist', 'apps', app.name, 'src', 'main.js')],
    spawn: { cwd: ROOT, env },
    onLine: (line) => process.stdout.write(`${label(app.name)}${renderLogLine(line)}\n`),
    onExit,
    // Nest's shutdown hooks close HTTP, drain NATS and the DB pool on SIGTERM.
    stop: { order: 1, signal: 'SIGTERM', graceMs: 10_000 },
  });
}

async function main(): Promise<void> {
  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!supervisor.isStopping) {
        firstSignalAt = Date.now();
        return void supervisor.stop(0, signal === 'SIGINT' ? 'Ctrl-C' : signal);
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
  process.on('uncaughtException', (error) => void (shout(`launcher error: ${error.stack ?? error.message}`), supervisor.stop(1, 'launcher error')));
  process.on('unhandledRejection', (error) => void (shout(`launcher error: ${String(error)}`), supervisor.stop(1, 'launcher error')));

  const apps = appsFor(process.env);
  const console_ = consoleFor(process.env);
  const missing = [...apps, console_].filter((a) => !existsSync(join(ROOT, 'dist', 'apps', a.name, 'src', 'main.js')));
  if (missing.length) throw new Error(`not built: ${missing.map((a) => a.name).join(', ')}; run npm run build (npm start does)`);
  for (const app of [...apps, console_]) {
    if (!(await isPortFree(app.port, '0.0.0.0'))) throw new Error(`port ${app.port} for ${app.name} is in use (another npm start still running? DEV_PORT_BASE moves the apps)`);
  }

  const { secrets, added } = loadDevSecrets(join(DATA_DIR, 'dev-secrets.json'));
  if (added.length) say(`generated dev values for ${added.join(', ')} into .data/dev-secrets.json (kept for next runs)`);

  const ctx = { dataDir: DATA_DIR, env: process.env, say, onExit: supervisor.infrastructureExited };
  const db = await resolvePostgres(ctx);
  const nats = await resolveNats(ctx);
  say(`Postgres ${maskUrl(db.url)} (${db.note})`);
  say(`NATS     ${nats.url} (${nats.note})`);

  const databaseUrls = await appDatabaseUrls(apps, db.url, secrets.DB_ROLE_KEY, say);
  for (const app of apps) {
    appEnvs.set(app.name, childEnv(process.env, app, { databaseUrl: databaseUrls.get(app.name) ?? db.url, natsUrl: nats.url }, secrets));
  }

  appEnvs.set(console_.name, consoleEnv(process.env, console_, apps, nats.url, secrets));

  const started = Date.now();
  const deadline = started + HEALTH_TIMEOUT_MS;
  const results = await Promise.all([...apps, console_].map(async (app) => ({ app, health: await supervisor.startApp(app, deadline), ms: Date.now() - started })));
  if (supervisor.isStopping) return; // an app died meanwhile; the supervisor said which and stops all
  const late = results.filter((r) => !r.health.ok);
  if (late.length) {
    for (const { app, health } of late) {
      shout(`${app.name} did not answer GET /health with 200 within ${seconds(HEALTH_TIMEOUT_MS)} (last: ${health.last}); its last lines:`);
      process.stderr.write(`${supervisor.runOf(app.name)?.tail.text('    ', renderLogLine)}\n`);
    }
    return void supervisor.stop(1, 'start-up timed out');
  }

  const adminToken = process.env.ADMIN_TOKEN || secrets.ADMIN_TOKEN;
  const tokenSource = process.env.ADMIN_TOKEN ? 'from the environment' : 'dev value from .data/dev-secrets.json';
  const rows = results.map(({ app, ms }) => [app.name, `http://127.0.0.1:${app.port}`, app.name === CONSOLE.name ? '' : `http://127.0.0.1:${app.port}/docs`, seconds(ms), String(supervisor.runOf(app.name)?.child.pid ?? '')]);
  process.stdout.write(`\n${bold('OneCard is up')}\n${table(['app', 'URL', 'docs', 'healthy after', 'pid'], rows)}\n`);
  process.stdout.write(`${dim('Postgres')}  ${maskUrl(db.url)}\n${dim('NATS')}      ${nats.url}\n${dim('ADMIN_TOKEN')} ${adminToken}  ${dim(`(${tokenSource}; Authorization: Bearer …)`)}\n`);
  const consoleToken = process.env.CONSOLE_TOKEN || secrets.CONSOLE_TOKEN;
  process.stdout.write(`${dim('Console')}   http://127.0.0.1:${console_.port}/  ${dim('CONSOLE_TOKEN')} ${consoleToken}  ${dim(`(${process.env.CONSOLE_TOKEN ? 'from the environment' : 'dev value from .data/dev-secrets.json'}; the login form)`)}\n`);
  process.stdout.write(`${dim('An app that crashes is restarted. Ctrl-C stops everything.')}\n\n`);
}

main().catch((error: unknown) => {
  shout((error as Error)?.message ?? String(error));
  void supervisor.stop(1, 'start-up failed');
});
