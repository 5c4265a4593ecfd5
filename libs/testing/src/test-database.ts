import { Client } from 'pg';

/** Postgres the tests use: TEST_DATABASE_URL, or the local server's `onecard_test` database. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/onecard_test';

let ensured: Promise<void> | undefined;

/** Creates the test database once per process if it does not exist. */
export function ensureTestDatabase(url = TEST_DATABASE_URL): Promise<void> {
  ensured ??= (async () => {
    const target = new URL(url);
    const name = target.pathname.slice(1);
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) {
        await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
          // Another test worker created it first.
          if (error.code !== '42P04' && error.code !== '23505') throw error;
        });
      }
    } finally {
      await client.end();
    }
  })();
  return ensured;
}

export async function dropSchema(schema: string, url = TEST_DATABASE_URL): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
