// Entry of the relay thread (see OutboxRelay): publishes the app's outbox with a pool and a NATS
// connection of its own, so publishing never takes the request thread's time.
import { Logger } from '@nestjs/common';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
// The light entry point: the kernel's barrel (validation, config) would slow the thread's start.
import { createLogger, NestPinoLogger } from '@onecard/kernel/logging';
import { NatsConnectionService } from '../nats/nats-connection.service';
import { OutboxPublisher } from './outbox-publisher';
import type { FromRelayThread, RelayThreadData, ToRelayThread } from './outbox-relay';

async function main(port: NonNullable<typeof parentPort>, data: RelayThreadData): Promise<void> {
  // Its lines say which thread wrote them: the app's NATS connection logs too.
  Logger.overrideLogger(new NestPinoLogger(createLogger(data.app, data.settings.LOG_LEVEL).child({ thread: 'outbox-relay' })));
  const post = (message: FromRelayThread) => port.postMessage(message);

  const pool = new Pool({
    connectionString: data.settings.DATABASE_URL,
    // One round at a time (a transaction) plus the occasional prune.
    max: 2,
    options: `-c search_path=${data.schema}`,
    application_name: `${data.app}-outbox-relay`,
    // Bounded as the app's own pool is (DB_CONNECT_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS): a paused
    // Postgres fails a round, which is retried, instead of holding the thread for the outage.
    connectionTimeoutMillis: data.settings.DB_CONNECT_TIMEOUT_MS,
    statement_timeout: data.settings.DB_STATEMENT_TIMEOUT_MS,
    query_timeout: data.settings.DB_STATEMENT_TIMEOUT_MS ? data.settings.DB_STATEMENT_TIMEOUT_MS + 1000 : undefined,
    keepAlive: true,
  });
  // An idle connection dropped by the server is the pool's to replace, not a reason to die.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  const nats = new NatsConnectionService(data.settings, { name: `${data.app}-outbox-relay` });
  const publisher = new OutboxPublisher(pool, nats, {
    pollMs: data.settings.OUTBOX_POLL_MS,
    onPublished: (count) => post({ type: 'published', count }),
  });

  port.on('message', (message: ToRelayThread) => {
    if (message.type === 'wake') publisher.wake();
    else if (message.type === 'stop') {
      void (async () => {
        try {
          await publisher.stop();
          await nats.onApplicationShutdown();
          await pool.end();
        } finally {
          // Ends this thread only (not the process), whatever handle a library left open.
          process.exit(0);
        }
      })();
    }
  });
  nats.start();
  publisher.start();
  post({ type: 'ready' });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as RelayThreadData).catch((error: Error) => {
    // The main thread logs it and starts a new thread.
    port.postMessage({ type: 'failed', message: error.message } satisfies FromRelayThread);
    process.exit(1);
  });
}
