import { Client } from 'pg';

/** The login role an app connects as when it has one of its own (DESIGN: one role per app). */
export function appRoleName(schema: string): string {
  return `onecard_${schema}`;
}

/** The same URL, logging in as another user (and password, when given). */
export function urlForRole(url: string, role: string, password?: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = password ? encodeURIComponent(password) : '';
  return u.toString();
}

/** Postgres object kinds that carry an owner inside a schema, and how ALTER names each. */
const OWNED_RELATIONS_SQL = `
  SELECT format('ALTER %s %I.%I OWNER TO %I',
           CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
           n.nspname, c.relname, $2::text) AS statement
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)
     -- A sequence owned by a column follows its table.
     AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
   ORDER BY c.oid`;

/** Codes another process provisioning the same role at the same moment may raise. */
const RACED = new Set(['42710', '42P06', '23505']);

/**
 * Gives an app a login role of its own that owns its schema and everything in it, so the app
 * can migrate and work there and cannot read or change another app's schema (other schemas
 * grant it nothing). Run over an administrator's connection (a superuser, as the launcher and
 * the compose image have). Idempotent: an existing role gets the password again, and a schema
 * created by another user (an earlier deployment that shared one login) is handed over whole.
 */
export async function provisionAppRole(adminUrl: string, options: { schema: string; role?: string; password?: string }): Promise<string> {
  const role = options.role ?? appRoleName(options.schema);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const id = client.escapeIdentifier(role);
    const login = options.password ? `LOGIN PASSWORD ${client.escapeLiteral(options.password)}` : 'LOGIN';
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (!rowCount) {
      await client.query(`CREATE ROLE ${id} ${login}`).catch((error: { code?: string }) => {
        if (!RACED.has(error.code ?? '')) throw error;
      });
    }
    await client.query(`ALTER ROLE ${id} ${login}`);
    const schema = client.escapeIdentifier(options.schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${id}`).catch((error: { code?: string }) => {
      if (!RACED.has(error.code ?? '')) throw error;
    });
    await client.query(`ALTER SCHEMA ${schema} OWNER TO ${id}`);
    const { rows } = await client.query<{ statement: string }>(OWNED_RELATIONS_SQL, [options.schema, role]);
    for (const { statement } of rows) await client.query(statement);
    return role;
  } finally {
    await client.end();
  }
}
