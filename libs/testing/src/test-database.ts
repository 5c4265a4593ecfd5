import { Client } from 'pg';
import { ensureDatabase } from '@onecard/platform';

/** Postgres the tests use: TEST_DATABASE_URL, or the local server's `onecard_test` database. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/onecard_test';

let ensured: Promise<void> | undefined;

/** Creates the test database once per process if it does not exist. */
export function ensureTestDatabase(url = TEST_DATABASE_URL): Promise<void> {
  ensured ??= ensureDatabase(url);
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

/** Runs one statement over a connection of its own as `url`'s user (roles, privileges). */
export async function queryAs(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
