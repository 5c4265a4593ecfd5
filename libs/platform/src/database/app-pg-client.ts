import type { Socket } from 'node:net';
import { Client } from 'pg';
import { DatabaseUnavailableError } from '@onecard/kernel';

/** How long past `statement_timeout` a silent server is waited for before its connection is given up. */
export const SILENT_SERVER_GRACE_MS = 1000;

type ConnectCallback = (error: Error | null) => void;

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
      if (!answerWithinMs || !(result instanceof Promise)) return result;
      const timer = setTimeout(() => {
        const stream = (this as unknown as { connection?: { stream?: Socket } }).connection?.stream;
        stream?.destroy(new DatabaseUnavailableError(`database: no answer within ${answerWithinMs} ms; connection dropped`));
      }, answerWithinMs);
      return result.finally(() => clearTimeout(timer));
    },
  });
  return AppPgClient;
}
