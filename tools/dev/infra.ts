// Resolves DATABASE_URL and NATS_URL to servers that answer: the configured ones when they do,
// otherwise servers started here (only ever on this machine, see plan.ts decideLocal).
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seconds } from './format';
import type { ManagedProcess } from './managed-process';
import { startNatsServer, ensureNatsServer } from './nats';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL, DEV_PORTS, decideLocal, maskUrl, parseNatsUrl, parsePostgresUrl, withHostPort } from './plan';
import { startEmbeddedPostgres } from './postgres';
import { ensureDatabase, freePort, isPortFree, probeAnyNats, probePostgres } from './probe';

export interface Resolved {
  url: string;
  /** How it was obtained, for the summary line. */
  note: string;
}

interface Context {
  dataDir: string;
  env: Record<string, string | undefined>;
  say: (line: string) => void;
  /** Called when a server we started dies on its own, with where its output went. */
  onExit: (proc: ManagedProcess, log: string) => void;
}

/** Server output goes to a file, not the console: the console is for the apps. */
function logTo(file: string): (line: string) => void {
  const stream = createWriteStream(file, { flags: 'a' });
  return (line) => stream.write(`${line}\n`);
}

/** Picks the port for a server we start: the decided one, or any free one when allowed. */
async function pickPort(what: string, port: number, anyPort: boolean): Promise<number> {
  if (await isPortFree(port)) return port;
  if (!anyPort) throw new Error(`${what} points at port ${port} on this machine: something listens there but does not answer as expected. Free the port or change ${what}.`);
  return freePort();
}

export async function resolvePostgres(ctx: Context): Promise<Resolved> {
  const explicit = Boolean(ctx.env.DATABASE_URL);
  const url = ctx.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const target = parsePostgresUrl(url);

  const found = await useIfAnswering(url, target);
  if (found) return { url, note: found };

  const decision = decideLocal({ what: 'DATABASE_URL', url, explicit, endpoints: [target], devPort: DEV_PORTS.postgres });
  if (decision.kind === 'fail') throw new Error(decision.reason);
  if (decision.anyPort) {
    // A Postgres left on the dev port by an earlier run that was killed hard: reuse it.
    const leftover = withHostPort(url, '127.0.0.1', decision.port);
    const reused = await useIfAnswering(leftover, parsePostgresUrl(leftover));
    if (reused) return { url: leftover, note: `${reused}; left running by an earlier npm start` };
  }
  const port = await pickPort('DATABASE_URL', decision.port, decision.anyPort);
  mkdirSync(ctx.dataDir, { recursive: true });
  ctx.say(`DATABASE_URL ${maskUrl(url)} does not answer: starting embedded Postgres on 127.0.0.1:${port} (data in .data/pg, log in .data/postgres.log)`);
  const pg = await startEmbeddedPostgres({ dataDir: join(ctx.dataDir, 'pg'), port, target, log: logTo(join(ctx.dataDir, 'postgres.log')), onExit: (proc) => ctx.onExit(proc, '.data/postgres.log') });
  const timing = `${pg.initialisedMs !== null ? `initdb ${seconds(pg.initialisedMs)}, ` : ''}start ${seconds(pg.startedMs)}`;
  ctx.say(`embedded Postgres ready (${timing})`);
  const resolved = withHostPort(url, '127.0.0.1', port);
  if (await ensureDatabase({ ...target, host: '127.0.0.1', port })) ctx.say(`created database ${target.database}`);
  return { url: resolved, note: `embedded Postgres 18, started here: ${timing}` };
}

/** Uses a server that answers (creating the database when missing); throws when it refuses us. */
async function useIfAnswering(url: string, target: ReturnType<typeof parsePostgresUrl>): Promise<string | null> {
  const probe = await probePostgres(target);
  if (probe.state === 'down') return null;
  if (probe.state === 'error') throw new Error(`DATABASE_URL ${maskUrl(url)} answered but cannot be used: ${probe.message}`);
  if (probe.state === 'no-database') await ensureDatabase(target);
  return probe.state === 'no-database' ? `reachable, database ${target.database} created` : 'reachable';
}

export async function resolveNats(ctx: Context): Promise<Resolved> {
  const explicit = Boolean(ctx.env.NATS_URL);
  const url = ctx.env.NATS_URL || DEFAULT_NATS_URL;
  const endpoints = parseNatsUrl(url);

  const probe = await probeAnyNats(endpoints);
  if (probe === 'ok') return { url, note: 'reachable' };
  if (probe === 'not-nats' && explicit) throw new Error(`NATS_URL ${maskUrl(url)}: something listens there but it is not a NATS server`);

  const decision = decideLocal({ what: 'NATS_URL', url, explicit, endpoints, devPort: DEV_PORTS.nats });
  if (decision.kind === 'fail') throw new Error(decision.reason);
  if (decision.anyPort && (await probeAnyNats([{ host: '127.0.0.1', port: decision.port }])) === 'ok') {
    return { url: withHostPort(url, '127.0.0.1', decision.port), note: 'reachable; left running by an earlier npm start' };
  }
  const binary = ensureNatsServer(ctx.say);
  const port = await pickPort('NATS_URL', decision.port, decision.anyPort);
  mkdirSync(ctx.dataDir, { recursive: true });
  ctx.say(`NATS_URL ${maskUrl(url)} does not answer: starting ${binary} -js on 127.0.0.1:${port} (store in .data/nats, log in .data/nats.log)`);
  const nats = await startNatsServer({ binary, port, storeDir: join(ctx.dataDir, 'nats'), log: logTo(join(ctx.dataDir, 'nats.log')), onExit: (proc) => ctx.onExit(proc, '.data/nats.log') });
  ctx.say(`nats-server ready (${seconds(nats.startedMs)})`);
  return { url: withHostPort(url, '127.0.0.1', port), note: `nats-server -js, started here in ${seconds(nats.startedMs)}` };
}
