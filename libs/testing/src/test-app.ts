import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { createOneCardApp } from '@onecard/platform';
import { dropSchema, ensureTestDatabase, TEST_DATABASE_URL } from './test-database';
import { TestBus } from './test-bus';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: T;
}

export interface TestApp<C extends BaseConfig = BaseConfig> {
  url: string;
  schema: string;
  config: C;
  /** The app's own DataSource (search_path = its schema). */
  db: DataSource;
  /** The app's providers, for what no HTTP call shows (the relay thread, say). */
  get<T>(type: new (...args: any[]) => T): T;
  /** Raw HTTP: `body` objects are sent as JSON, strings as they are. */
  http<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>>;
  /** An /admin call with the operator token. */
  admin<T = any>(method: string, path: string, body?: unknown): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

export interface StartTestAppOptions {
  /** Share one bus between apps of a cross-service test; a private one otherwise. */
  bus?: TestBus;
  /** Extra environment (overrides the defaults below). */
  env?: Record<string, string>;
  /** Keep the schema after close (debugging). */
  keepSchema?: boolean;
}

async function request(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/**
 * Boots an app exactly as main.ts does, on a free port, against a fresh schema of the real
 * Postgres and a private slice of the real NATS. `close()` stops it and drops the schema.
 */
export async function startTestApp<C extends BaseConfig>(
  definition: OneCardAppDefinition<C>,
  options: StartTestAppOptions = {},
): Promise<TestApp<C> & { bus: TestBus }> {
  await ensureTestDatabase();
  const ownBus = !options.bus;
  const bus = options.bus ?? (await TestBus.create());
  // A caller may name the schema (replicas sharing one); it is still dropped unless keepSchema.
  const schema = options.env?.DB_SCHEMA ?? `${definition.defaultSchema}_t${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: TEST_DATABASE_URL,
    DB_SCHEMA: schema,
    DB_POOL_SIZE: '4',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_MS: '100',
    ...bus.env,
    ...options.env,
  };
  const abandon = async () => {
    if (ownBus) await bus.close().catch(() => undefined);
    if (!options.keepSchema) await dropSchema(schema, env.DATABASE_URL).catch(() => undefined);
  };
  let running: Awaited<ReturnType<typeof createOneCardApp<C>>>;
  try {
    running = await createOneCardApp(definition, env);
  } catch (error) {
    await abandon();
    throw error;
  }
  const db = running.app.get(DataSource);
  // NATS connects in the background; tests start once the app reports itself healthy.
  // Generous: on a loaded machine the relay thread alone has taken 7 s to start.
  const deadline = Date.now() + 25_000;
  let health: HttpResult;
  while ((health = await request(running.url, 'GET', '/health')).status !== 200) {
    if (Date.now() > deadline) {
      await running.close().catch(() => undefined);
      await abandon();
      throw new Error(`${definition.name} did not become healthy within 25 s (last: ${health.status} ${health.text})`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: running.url,
    schema,
    config: running.config,
    db,
    bus,
    get: (type) => running.app.get(type),
    http: (method, path, body, headers) => request(running.url, method, path, body, headers),
    admin: (method, path, body) => request(running.url, method, path, body, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }),
    close: async () => {
      await running.close();
      if (!options.keepSchema) await dropSchema(schema, env.DATABASE_URL);
      if (ownBus) await bus.close();
    },
  };
}
