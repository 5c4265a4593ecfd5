import type { Socket } from 'node:net';
import { Client } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DatabaseUnavailableError } from '@onecard/kernel';

/** How long past `statement_timeout` a silent server is waited for before its connection is given up. */
export const SILENT_SERVER_GRACE_MS = 1000;

type ConnectCallback = (error: Error | null) => void;

/** Marks a connection whose statements may rightly run long (see unboundedQueryRunner). */
const UNBOUNDED = Symbol('onecard:unbounded-connection');

const unavailable = (error: Error) => new DatabaseUnavailableError(`database: cannot connect (${error.message})`, { cause: error });

/**
 * pg's Client as the app's pool uses it:
 *
 * - A connection that cannot be made fails as DatabaseUnavailableError, so the kernel answers
 *   "unavailable" knowing it was the database (a bare ECONNREFUSED could be anything).
 * - With `answerWithinMs`, every plain query (a promise) must be answered in that time, or the
 *   connection is dropped: its queries fail at once (the transaction's ROLLBACK included) and the
 *   pool opens a fresh one. Postgres's own `statement_timeout` cancels slow statements first on a
 *   server that still answers; this is for one that does not (paused, cut off without a reset),
 *   where every call holding the connection used to wait out the whole outage. pg's own
 *   `query_timeout` rejects the caller but keeps the connection, so the ROLLBACK and the next
 *   borrower waited again. Streams (`COPY … TO STDOUT`, cursors) are paced by their reader and
 *   left alone.
 */
export function appPgClient(answerWithinMs = 0): typeof Client {
  class AppPgClient extends Client {}
  const { connect, query } = Client.prototype as unknown as {
    connect: (this: Client, callback?: ConnectCallback) => Promise<void> | undefined;
    query: (this: Client, ...args: unknown[]) => unknown;
  };
  Object.assign(AppPgClient.prototype, {
    connect(this: Client, callback?: ConnectCallback) {
      if (callback) return connect.call(this, (error) => callback(error && unavailable(error)));
      return connect.call(this)!.catch((error: Error) => {
        throw unavailable(error);
      });
    },
    query(this: Client, ...args: unknown[]) {
      const result = query.apply(this, args);
      if (!answerWithinMs || !(result instanceof Promise) || (this as unknown as Record<symbol, unknown>)[UNBOUNDED]) return result;
      const timer = setTimeout(() => {
        const stream = (this as unknown as { connection?: { stream?: Socket } }).connection?.stream;
        stream?.destroy(new DatabaseUnavailableError(`database: no answer within ${answerWithinMs} ms; connection dropped`));
      }, answerWithinMs);
      return result.finally(() => clearTimeout(timer));
    },
  });
  return AppPgClient;
}

/**
 * A query runner on its own connection whose statements are not bounded: for work that rightly
 * runs or waits long (a lock held for a whole sync, a million-row COPY, a retention delete). The
 * session's `statement_timeout` is off and the silent-server timer skips it; everything else
 * about the connection (schema, role) is the app's. Release it when done: its session settings
 * go back with it (reset before it returns to the pool).
 */
export async function unboundedQueryRunner(db: DataSource): Promise<QueryRunner> {
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as Record<symbol, unknown>;
  await runner.query(`SET statement_timeout = 0`);
  client[UNBOUNDED] = true;
  const release = runner.release.bind(runner);
  runner.release = async () => {
    client[UNBOUNDED] = false;
    await runner.query(`RESET statement_timeout`).catch(() => undefined);
    return release();
  };
  return runner;
}

/** `work` in one transaction on an unbounded connection (see unboundedQueryRunner), committed or rolled back. */
export async function unboundedTransaction<T>(db: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = await unboundedQueryRunner(db);
  try {
    await runner.startTransaction();
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
