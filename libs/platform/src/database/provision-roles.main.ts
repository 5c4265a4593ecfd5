// Gives each named schema's app a login role of its own (DESIGN: one role per app), over the
// administrator's DATABASE_URL. Ships in every app image, so compose runs it as a one-shot
// service before the apps; from a checkout: `npm run db:roles`. Idempotent: run it at every
// deployment. A role's password comes from <SCHEMA>_DB_PASSWORD (CARD_ISSUANCE_DB_PASSWORD …).
//   DATABASE_URL=postgres://admin:…@host/onecard node dist/libs/platform/src/database/provision-roles.main.js card_issuance …
import { appRoleName, provisionAppRole, urlForRole } from './app-role';

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

function maskPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

async function main(): Promise<number> {
  const adminUrl = process.env.DATABASE_URL;
  const schemas = process.argv.slice(2);
  if (!adminUrl) return fail('DATABASE_URL must name the database, as a user who may create roles');
  if (!schemas.length) return fail('name the schemas to provision: provision-roles card_issuance transit_validation …');
  const bad = schemas.find((s) => !SCHEMA.test(s));
  if (bad !== undefined) return fail(`"${bad}" is not a lowercase Postgres identifier`);
  for (const schema of schemas) {
    const variable = `${schema.toUpperCase()}_DB_PASSWORD`;
    const password = process.env[variable] || undefined;
    const role = await provisionAppRole(adminUrl, { schema, password }).catch((error: Error) => {
      throw new Error(`${schema}, as ${decodeURIComponent(new URL(adminUrl).username) || 'the default user'}: ${error.message}`);
    });
    const note = password ? '' : ` (no ${variable}: it can log in only where pg_hba.conf trusts it)`;
    console.log(`${schema}: owned by role ${role}; the app's DATABASE_URL is ${maskPassword(urlForRole(adminUrl, appRoleName(schema), password))}${note}`);
  }
  return 0;
}

function fail(message: string): number {
  console.error(`provision-roles: ${message}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  // Postgres' own message (no stack): permission denied, unknown database …
  (error: Error) => process.exit(fail(error.message)),
);
