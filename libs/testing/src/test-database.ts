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

/** Every row of every table of `schema`, as JSON text per table: for "nothing changed" across boots. */
export async function schemaSnapshot(schema: string, url = TEST_DATABASE_URL): Promise<Record<string, string[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
      [schema],
    );
    const snapshot: Record<string, string[]> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ r: string }>(`SELECT row_to_json(t)::text AS r FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)} t ORDER BY 1`);
      snapshot[name] = rows.map((row) => row.r);
    }
    return snapshot;
  } finally {
    await client.end();
  }
}
