import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { dataSourceOptions, ensureSchema } from '@onecard/platform';
import { rawHttp, rawRequest } from './raw-http';
import { startTestApp, TestApp } from './test-app';
import { dropSchema, ensureTestDatabase, TEST_DATABASE_URL } from './test-database';
import { TestBus } from './test-bus';

export interface ConformanceExpectations {
  /** Asserts a body is this app's failure envelope and returns its message. */
  failureMessage(body: unknown): string;
  /** HTTP status this app uses for a malformed body / unknown path / missing operator token. */
  statuses: { invalid: number; notFound: number; unauthenticated: number };
  /** A device-facing POST path that takes a JSON body (for the malformed-JSON check). */
  jsonPostPath: string;
  /** The app's own `/admin/backlog` sources, in registration order (after the platform's three). */
  backlogSources?: string[];
}

/** The `{app, checkedAt, items}` of /admin/backlog, wherever the app's envelope put it. */
function backlogIn(body: unknown): { app: string; items: Array<{ name: string; pending: number | null; error: string | null }> } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  if ('checkedAt' in body && 'items' in body) return body as never;
  for (const value of Object.values(body)) {
    const found = backlogIn(value);
    if (found) return found;
  }
  return undefined;
}

/** The `{total, limit, offset, items}` of an admin list, wherever the app's envelope put it. */
function pageIn(body: unknown): { total: number; limit: number; offset: number; items: unknown[] } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  if ('limit' in body && 'offset' in body && 'items' in body) {
    const { total, limit, offset, items } = body as Record<string, unknown>;
    return { total, limit, offset, items } as never;
  }
  for (const value of Object.values(body)) {
    const found = pageIn(value);
    if (found) return found;
  }
  return undefined;
}

/**
 * What every OneCard app must do whatever its features: health, metrics, docs, and errors in
 * its own envelope. Each app's test/platform.e2e-spec.ts runs this against the real thing.
 */
export function describePlatformConformance<C extends BaseConfig>(definition: OneCardAppDefinition<C>, expect_: ConformanceExpectations): void {
  describe(`${definition.name}: platform conformance`, () => {
    let app: TestApp<C> & { bus: TestBus };

    beforeAll(async () => {
      app = await startTestApp(definition);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('reports database, NATS and the outbox relay up on /health', async () => {
      // NATS connects in the background; give it a moment.
      let res = await app.http('GET', '/health');
      for (let i = 0; i < 50 && res.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        res = await app.http('GET', '/health');
      }
      expect(res.status).toBe(200);
      const { database, nats, outbox_relay, ...own } = res.body.details;
      expect({ database, nats, outbox_relay }).toEqual({ database: { status: 'up' }, nats: { status: 'up' }, outbox_relay: { status: 'up' } });
      // The app's own indicators (HealthIndicators), if any, are up too.
      for (const [name, detail] of Object.entries(own)) expect([name, (detail as { status: string }).status]).toEqual([name, 'up']);
    });

    it('answers the orchestrator probes: /health/live and /health/ready', async () => {
      expect(await app.http('GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await app.http('GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: { status: 'up' } } } });
    });

    it('exposes Prometheus metrics: route latency, outbox backlog, NATS state', async () => {
      await app.http('GET', '/health');
      const res = await app.http('GET', '/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health"/);
      expect(res.text).toMatch(/onecard_outbox_backlog\{app="[a-z-]+"\} 0/);
      expect(res.text).toMatch(/onecard_nats_connected\{app="[a-z-]+"\} 1/);
    });

    it('serves its OpenAPI document', async () => {
      const res = await app.http('GET', '/docs-json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.info.title).toBe(`OneCard ${definition.name}`);
    });

    it('answers an unknown path in its own envelope', async () => {
      const res = await app.http('GET', '/no/such/path');
      expect(res.status).toBe(expect_.statuses.notFound);
      expect(expect_.failureMessage(res.body)).toBe('no such path');
    });

    it('answers malformed JSON in its own envelope, naming the body', async () => {
      const res = await app.http('POST', expect_.jsonPostPath, '{"broken": ', { 'content-type': 'application/json' });
      expect(res.status).toBe(expect_.statuses.invalid);
      expect(expect_.failureMessage(res.body)).toBe('body: malformed JSON');
    });

    it('answers a body nested deeper than BODY_MAX_DEPTH in its own envelope, naming the body', async () => {
      const res = await app.http('POST', expect_.jsonPostPath, `{"a":${'['.repeat(3000)}${']'.repeat(3000)}}`, { 'content-type': 'application/json' });
      expect(res.status).toBe(expect_.statuses.invalid);
      expect(expect_.failureMessage(res.body)).toBe('body: nested too deeply (limit 32)');
    });

    it('answers what Fastify and Node refuse before any route in its own envelope', async () => {
      const badUrl = await rawHttp(app.url, rawRequest('GET', '/health%E0%A4%A'));
      expect(badUrl.status).toBe(expect_.statuses.invalid);
      expect(expect_.failureMessage(badUrl.body)).toBe('url: malformed percent-escape in the path');
      const garbage = await rawHttp(app.url, 'NOT HTTP AT ALL\r\n\r\n');
      expect(garbage.status).toBe(expect_.statuses.invalid);
      expect(expect_.failureMessage(garbage.body)).toMatch(/^request: not well-formed HTTP\/1\.1 \(HPE_[A-Z_]+\)$/);
      const headers = await rawHttp(app.url, rawRequest('GET', '/health', { 'x-padding': 'a'.repeat(17 * 1024) }));
      expect(headers.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(expect_.failureMessage(headers.body)).toBe('headers: larger than 16384 bytes in all');
      const expectation = await rawHttp(app.url, rawRequest('POST', expect_.jsonPostPath, { expect: 'teapot', 'content-type': 'application/json' }, '{}'));
      expect(expectation.status).toBe(expect_.statuses.invalid);
      expect(expect_.failureMessage(expectation.body)).toBe('expect: only 100-continue is supported');
    });

    it('refuses /admin without the operator token', async () => {
      const res = await app.http('GET', '/admin/outbox');
      expect(res.status).toBe(expect_.statuses.unauthenticated);
      expect(expect_.failureMessage(res.body)).toMatch(/authorization/i);
    });

    it('shows operators the outbox with the token, as a page of the one admin list shape', async () => {
      const res = await app.admin('GET', '/admin/outbox');
      expect(res.status).toBe(200);
      expect(pageIn(res.body)).toEqual({ total: 0, limit: 100, offset: 0, items: [] });
      expect(pageIn((await app.admin('GET', '/admin/events?limit=1&offset=2')).body)).toEqual({ total: 0, limit: 1, offset: 2, items: [] });
    });

    it('refuses a bad page of an admin list in its own envelope, naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['/admin/outbox?limit=0', 'limit must be 1 or more'],
        ['/admin/events?limit=1001', 'limit must be at most 1000'],
        ['/admin/events?offset=x', 'offset must be an integer'],
      ];
      for (const [path, message] of cases) {
        const res = await app.admin('GET', path);
        expect({ path, status: res.status, message: expect_.failureMessage(res.body) }).toEqual({ path, status: expect_.statuses.invalid, message });
      }
    });

    it('shows operators its backlog: the platform sources, then its own, each counted', async () => {
      const res = await app.admin('GET', '/admin/backlog');
      expect(res.status).toBe(200);
      const backlog = backlogIn(res.body);
      expect(backlog?.app).toBe(definition.name);
      expect(backlog?.items.map((i) => i.name)).toEqual(['outbox', 'events_pending', 'event_dead_letters', ...(expect_.backlogSources ?? [])]);
      for (const item of backlog!.items) expect({ name: item.name, error: item.error, counted: typeof item.pending === 'number' }).toEqual({ name: item.name, error: null, counted: true });
    });
  });

  describe(`${definition.name}: migrations`, () => {
    /** Every relation in the schema but TypeORM's own bookkeeping: tables, indexes, sequences, views. */
    const relations = async (db: DataSource, schema: string): Promise<string[]> =>
      (
        await db.query(
          `SELECT c.relname || ':' || c.relkind::text AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname NOT LIKE 'migrations%'
              AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = c.oid AND t.relname = 'migrations')
            ORDER BY 1`,
          [schema],
        )
      ).map((row: { r: string }) => row.r);

    it('go all the way down and up again, leaving nothing behind', async () => {
      await ensureTestDatabase();
      const schema = `${definition.defaultSchema}_m${randomBytes(4).toString('hex')}`;
      await ensureSchema(TEST_DATABASE_URL, schema);
      const config = { DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: schema, DB_POOL_SIZE: 2 } as BaseConfig;
      const db = new DataSource(dataSourceOptions(definition, config));
      await db.initialize();
      try {
        const applied = await db.runMigrations({ transaction: 'each' });
        const up = await relations(db, schema);
        expect(up.length).toBeGreaterThan(0);
        for (let i = 0; i < applied.length; i++) await db.undoLastMigration({ transaction: 'each' });
        expect(await relations(db, schema)).toEqual([]);
        await db.runMigrations({ transaction: 'each' });
        expect(await relations(db, schema)).toEqual(up);
      } finally {
        await db.destroy();
        await dropSchema(schema);
      }
    });
  });
}
