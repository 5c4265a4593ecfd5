import { Client } from 'pg';
import { StartupError } from '../app/startup-error';

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
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      return;
    } catch (error) {
      lastError = error;
      const code = (error as { code?: string }).code;
      // A wrong database name or credentials won't fix itself: fail at once.
      if (code === '3D000' || code === '28P01' || code === '28000') break;
      if (attempt < attempts) await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const reason = (lastError as Error)?.message ?? String(lastError);
  throw new StartupError('DATABASE_URL', `DATABASE_URL: cannot use the database at ${where(url)}: ${reason}`);
}
