// Where a benchmark's service keeps its data: a private schema of the `onecard_bench` database
// and a private JetStream stream and subject prefix, so a run touches nothing else and leaves
// nothing behind.
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { Client } from 'pg';
import { ensureDatabase } from '@onecard/platform';

export interface BenchTarget {
  databaseUrl: string;
  schema: string;
  /** databaseUrl with the schema as search_path. */
  schemaUrl: string;
  natsUrl: string;
  stream: string;
  prefix: string;
  adminToken: string;
  /** The platform's variables for the service (the app's own keys are the benchmark's to add). */
  env: Record<string, string>;
  /** Drops the schema (unless --keep) and deletes the stream. */
  cleanup(): Promise<void>;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database if missing; `name` names the schema (`<name>_bench_<run>`). Env: BENCH_DATABASE_URL, NATS_URL. */
export async function prepareTarget(name: string): Promise<BenchTarget> {
  const databaseUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/onecard_bench';
  const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const run = randomBytes(3).toString('hex');
  const schema = `${name}_bench_${run}`;
  await ensureDatabase(databaseUrl);
  const stream = `ONECARD_BENCH_${run.toUpperCase()}`;
  const prefix = `bench${run}.`;
  const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DB_SCHEMA: schema,
    NATS_URL: natsUrl,
    NATS_STREAM: stream,
    NATS_SUBJECT_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
  };
  const cleanup = async () => {
    if (!process.argv.includes('--keep')) await withClient(databaseUrl, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).catch(() => undefined);
    const nc = await connect({ servers: natsUrl }).catch(() => undefined);
    if (!nc) return;
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc.close();
  };
  const schemaUrl = `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return { databaseUrl, schema, schemaUrl, natsUrl, stream, prefix, adminToken, env, cleanup };
}
