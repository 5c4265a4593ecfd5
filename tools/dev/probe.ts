// Network probes: is Postgres / NATS answering at a URL, is a port free, is an app healthy.
import { createConnection, createServer } from 'node:net';
import { Client } from 'pg';
import type { Endpoint, PostgresTarget } from './plan';

/** ok: usable; no-database: server answers but the database is missing (we create it);
 *  down: nothing accepts connections there; error: something answered but refused us. */
export type PgProbe = { state: 'ok' | 'no-database' | 'down' } | { state: 'error'; message: string };

const DOWN_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

export async function probePostgres(target: PostgresTarget, database = target.database): Promise<PgProbe> {
  const client = new Client({ ...target, password: target.password || undefined, database, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { state: 'ok' };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === '3D000') return { state: 'no-database' };
    // No answer in time (a firewalled or absent host) is "down" too, not a refusal.
    if (DOWN_CODES.has(code) || /timeout/i.test((error as Error).message)) return { state: 'down' };
    return { state: 'error', message: `${code ? `${code} ` : ''}${(error as Error).message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database through the `postgres` maintenance database, tolerating a racing creator. */
export async function ensureDatabase(target: PostgresTarget): Promise<boolean> {
  const client = new Client({ ...target, password: target.password || undefined, database: 'postgres', connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(target.database)}`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return false; // created meanwhile
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A NATS server greets every client with `INFO {…}`; a bare TCP accept is not enough. */
export type NatsProbe = 'ok' | 'down' | 'not-nats';

export function probeNats(endpoint: Endpoint, timeoutMs = 2000): Promise<NatsProbe> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: endpoint.host, port: endpoint.port });
    const done = (result: NatsProbe) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('not-nats'));
    socket.once('data', (data) => done(data.toString('latin1').startsWith('INFO ') ? 'ok' : 'not-nats'));
    socket.once('error', () => done('down'));
  });
}

export async function probeAnyNats(endpoints: Endpoint[]): Promise<NatsProbe> {
  const results = await Promise.all(endpoints.map((e) => probeNats(e)));
  return results.includes('ok') ? 'ok' : results.includes('not-nats') ? 'not-nats' : 'down';
}

/** True when we can bind the port on loopback (so a server we start can too). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export { freePort } from '../common/local';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls GET url until 200. `ok` false at the deadline or as soon as `gaveUp()` says the process
 * behind it is gone (no point waiting for a dead app); `last` says what it answered last.
 */
export async function waitForHealth(url: string, deadline: number, gaveUp: () => boolean): Promise<{ ok: boolean; last: string }> {
  let last = 'no answer';
  while (Date.now() < deadline && !gaveUp()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 200) return { ok: true, last: '200' };
      last = `${response.status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = `no answer (${(error as Error).message})`;
    }
    await sleep(250);
  }
  return { ok: false, last };
}
