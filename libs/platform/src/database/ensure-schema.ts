import { Client } from 'pg';
import { StartupError } from '@onecard/kernel';

function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured address';
  }
}

/**
 * Creates the app's schema before TypeORM runs (its migrations table lives in it). Retries a
 * few times so a database still starting is waited for; then fails naming DATABASE_URL.
 */
export async function ensureSchema(url: string, schema: string, attempts = 5): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      // Looked up first: an app with a role of its own owns its schema but may not create one
      // (CREATE SCHEMA checks that right even when the schema exists).
      const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (!rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      return;
    } catch (error) {
      lastError = error;
      const code = (error as { code?: string }).code;
      // A wrong database name or credentials won't fix itself: fail at once.
      if (code === '3D000' || code === '28P01' || code === '28000' || code === '42501') break;
      if (attempt < attempts) await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  let reason = (lastError as Error)?.message ?? String(lastError);
  if ((lastError as { code?: string })?.code === '42501') {
    reason += `; schema "${schema}" does not exist and this user may not create it: create it for the app's role (npm run db:roles)`;
  }
  throw new StartupError('DATABASE_URL', `DATABASE_URL: cannot use the database at ${where(url)}: ${reason}`);
}

/**
 * Creates the database named by `url` if it does not exist, connecting to the server's `postgres`
 * database to do it (for tests, benchmarks and the launcher; apps expect their database to exist).
 * Another process creating it at the same moment is fine.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}
