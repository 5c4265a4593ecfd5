// Each app logs in as a role of its own that owns its schema and nothing else (DESIGN: one
// role per app), so a bug or a breach in one app cannot read another's tables. The launcher
// provisions the roles over DATABASE_URL's administrator connection at every start.
import { createHmac } from 'node:crypto';
import { appRoleName, provisionAppRole, urlForRole } from '@onecard/platform';
import { AppSpec, parsePostgresUrl } from './plan';

/** A role's password, stable across runs and not stored: derived from the launcher's key. */
export function rolePassword(key: string, role: string): string {
  return createHmac('sha256', key).update(role).digest('base64url');
}

/**
 * DATABASE_URL for each app: its own role's, or the administrator's for every app when that
 * user may not create roles (a managed database's ordinary login, say).
 */
export async function appDatabaseUrls(apps: readonly AppSpec[], adminUrl: string, key: string, say: (line: string) => void): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  try {
    for (const app of apps) {
      const role = appRoleName(app.schema);
      const password = rolePassword(key, role);
      await provisionAppRole(adminUrl, { schema: app.schema, role, password });
      urls.set(app.name, urlForRole(adminUrl, role, password));
    }
    say(`each app logs in as its own role (onecard_<schema>), owner of its schema only`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    const { user } = parsePostgresUrl(adminUrl);
    say(`${user} may not create roles (${(error as Error).message}): every app logs in as ${user}`);
    for (const app of apps) urls.set(app.name, adminUrl);
  }
  return urls;
}
