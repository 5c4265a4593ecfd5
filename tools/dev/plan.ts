// Pure decisions of the launcher (no I/O), so they can be unit-tested: which apps run where,
// whether a URL may be served by a locally started server and on which port, and the exact
// environment each app process gets.
import { LAUNCHER_ONLY_SECRETS } from './secrets';

/** A process the launcher runs and supervises: an app, or the operator console. */
export interface ServiceSpec {
  name: string;
  port: number;
}

export interface AppSpec extends ServiceSpec {
  /** The app's default schema, owned by its own role when the launcher may create one. */
  schema: string;
}

/** The five apps with their default ports (DESIGN "Infrastructure") and schemas (each app's own default). */
export const APPS: readonly AppSpec[] = [
  { name: 'card-issuance', port: 3001, schema: 'card_issuance' },
  { name: 'transit-validation', port: 3002, schema: 'transit_validation' },
  { name: 'campus-card', port: 3003, schema: 'campus_card' },
  { name: 'wage-attendance', port: 3004, schema: 'wage_attendance' },
  { name: 'tuya-bridge', port: 3005, schema: 'tuya_bridge' },
];

/** The operator console: no schema, it reads the apps' /admin APIs and the event stream. */
export const CONSOLE: ServiceSpec = { name: 'operator-console', port: 3006 };

/** The apps and then the console: DEV_PORT_BASE + 6 is the console's. */
const SERVICES = APPS.length + 1;

function portBase(env: Record<string, string | undefined>): number | undefined {
  const raw = env.DEV_PORT_BASE;
  if (!raw) return undefined;
  const base = Number(raw);
  if (!/^\d+$/.test(raw) || base < 1024 || base + SERVICES > 65535) throw new Error(`DEV_PORT_BASE must be a whole number from 1024 to ${65535 - SERVICES}, got ${raw}`);
  return base;
}

/**
 * The apps with their ports: the defaults, or DEV_PORT_BASE + 1 … + 5 in the same order, so a
 * second checkout (or a test) can run the whole system beside the first.
 */
export function appsFor(env: Record<string, string | undefined>): AppSpec[] {
  const base = portBase(env);
  if (base === undefined) return [...APPS];
  return APPS.map((app, i) => ({ ...app, port: base + i + 1 }));
}

/** The console's port: 3006, or DEV_PORT_BASE + 6. */
export function consoleFor(env: Record<string, string | undefined>): ServiceSpec {
  const base = portBase(env);
  return base === undefined ? { ...CONSOLE } : { ...CONSOLE, port: base + SERVICES };
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/onecard';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/**
 * Ports tried first when the launcher starts a server because the *default* URL did not
 * answer: one above the standard port, so a system Postgres/NATS that is installed but stopped
 * can start later without colliding with ours.
 */
export const DEV_PORTS = { postgres: 5433, nats: 4223 } as const;

export interface Endpoint {
  host: string;
  port: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '']);

/** Only a URL naming this machine may be served by a server the launcher starts. */
export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface PostgresTarget extends Endpoint {
  user: string;
  password: string;
  database: string;
}

export function parsePostgresUrl(url: string): PostgresTarget {
  const u = new URL(url);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`DATABASE_URL must start with postgres://, got ${maskUrl(url)}`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${maskUrl(url)}`);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password),
    database,
  };
}

/** NATS_URL may list a cluster, comma-separated; scheme optional as in the nats client. */
export function parseNatsUrl(url: string): Endpoint[] {
  return url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const u = new URL(/^[a-z]+:\/\//i.test(s) ? s : `nats://${s}`);
      return { host: u.hostname, port: u.port ? Number(u.port) : 4222 };
    });
}

/** The same URL with another host and port: where the locally started server really listens. */
export function withHostPort(url: string, host: string, port: number): string {
  const u = new URL(url);
  u.hostname = host;
  u.port = String(port);
  return u.toString().replace(/\/$/, '');
}

/** Passwords never reach the console. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

export type LocalDecision =
  | { kind: 'start'; port: number; /** another free port is acceptable when `port` is taken */ anyPort: boolean }
  | { kind: 'fail'; reason: string };

/**
 * Nothing answered at the configured URL: may the launcher start a server, and on which port?
 * An explicitly configured local URL keeps its port (the user chose it); the default URL gets
 * the dev port or any free one; a remote host is never "replaced" by a local server.
 */
export function decideLocal(input: { what: 'DATABASE_URL' | 'NATS_URL'; url: string; explicit: boolean; endpoints: Endpoint[]; devPort: number }): LocalDecision {
  const { what, url, explicit, endpoints, devPort } = input;
  if (endpoints.length !== 1) {
    return { kind: 'fail', reason: `${what} ${maskUrl(url)} lists ${endpoints.length} servers and none answers; start them, or set ${what} to a single local URL` };
  }
  const [endpoint] = endpoints;
  if (!isLocalHost(endpoint.host)) {
    return { kind: 'fail', reason: `${what} ${maskUrl(url)} does not answer and is not on this machine, so no local server can stand in for it; start that server or unset ${what}` };
  }
  return explicit ? { kind: 'start', port: endpoint.port, anyPort: false } : { kind: 'start', port: devPort, anyPort: true };
}

/** Variables that make sense for one process only; inheriting them would give five apps one port/schema. */
const PER_PROCESS = ['PORT', 'DB_SCHEMA'];

/**
 * Environment of one app process: the launcher's environment, then dev secrets for whatever the
 * user did not set, then the resolved infrastructure URLs and the app's port (always ours).
 */
export function childEnv(
  base: Record<string, string | undefined>,
  app: AppSpec,
  resolved: { databaseUrl: string; natsUrl: string },
  secrets: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined && !PER_PROCESS.includes(key)) env[key] = value;
  for (const [key, value] of Object.entries(secrets)) if (!env[key] && !LAUNCHER_ONLY_SECRETS.includes(key)) env[key] = value;
  env.DATABASE_URL = resolved.databaseUrl;
  env.NATS_URL = resolved.natsUrl;
  env.PORT = String(app.port);
  return env;
}

/**
 * Environment of the console: the launcher's (without per-process variables), the dev secrets
 * (ADMIN_TOKEN to call the apps, CONSOLE_TOKEN for operators), NATS, its port, and where each app listens.
 */
export function consoleEnv(
  base: Record<string, string | undefined>,
  service: ServiceSpec,
  apps: readonly AppSpec[],
  natsUrl: string,
  secrets: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined && !PER_PROCESS.includes(key)) env[key] = value;
  for (const [key, value] of Object.entries(secrets)) if (!env[key] && !LAUNCHER_ONLY_SECRETS.includes(key)) env[key] = value;
  for (const app of apps) env[`CONSOLE_${app.name.toUpperCase().replace(/-/g, '_')}_URL`] = `http://127.0.0.1:${app.port}`;
  env.NATS_URL = natsUrl;
  env.PORT = String(service.port);
  return env;
}
