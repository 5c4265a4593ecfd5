import { HealthIndicators } from '@onecard/platform';
import { eventually, startTestApp, TcpProxy, TEST_DATABASE_URL, TEST_NATS_URL, TestApp } from '../../src';
import { probeApp } from './probe/probe.app';

/** Liveness, readiness and the detail, as an orchestrator and a monitor read them. */
describe('platform: health probes', () => {
  let app: TestApp;
  let pg: TcpProxy;
  let nats: TcpProxy;
  const state = { sync: { up: true, detail: { lastSync: '2026-12-01T00:00:00Z' } }, cache: { up: true } };

  beforeAll(async () => {
    pg = await TcpProxy.start(TEST_DATABASE_URL);
    nats = await TcpProxy.start(TEST_NATS_URL);
    app = await startTestApp(probeApp, {
      env: { DATABASE_URL: pg.rewrite(TEST_DATABASE_URL), NATS_URL: nats.rewrite(TEST_NATS_URL).replace(/\/$/, '') },
    });
    const indicators = app.get(HealthIndicators);
    indicators.register('probe_sync', () => state.sync);
    indicators.register('probe_cache', () => state.cache, { critical: true });
  });
  afterAll(async () => {
    await pg.up();
    await nats.up();
    await app.close();
    await pg.down();
    await nats.down();
  });

  const get = (path: string) => app.http('GET', path);

  it('is live and ready when everything answers, and /health shows the app’s indicators', async () => {
    expect(await get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: {
        database: { status: 'up' },
        nats: { status: 'up' },
        outbox_relay: { status: 'up' },
        probe_sync: { status: 'up', lastSync: '2026-12-01T00:00:00Z' },
        probe_cache: { status: 'up' },
      },
    });
    const detail = await get('/health');
    expect(detail.status).toBe(200);
    expect(detail.body.details.probe_sync).toEqual({ status: 'up', lastSync: '2026-12-01T00:00:00Z' });
  });

  it('stays ready but degraded while NATS is away (the outbox keeps the events)', async () => {
    await nats.down();
    const ready = await eventually(async () => {
      const res = await get('/health/ready');
      return res.body?.checks?.nats?.status === 'down' ? res : undefined;
    });
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks.database).toEqual({ status: 'up' });
    expect((await get('/health')).status).toBe(503);
    expect((await get('/health/live')).status).toBe(200);
    await nats.up();
    await eventually(async () => (await get('/health/ready')).body?.status === 'ready', 15_000);
  });

  it('is not ready while Postgres is away, yet still live', async () => {
    await pg.down();
    try {
      const ready = await eventually(async () => {
        const res = await get('/health/ready');
        return res.status === 503 ? res : undefined;
      });
      expect(ready.body.status).toBe('unavailable');
      expect(ready.body.checks.database.status).toBe('down');
      expect(await get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await pg.up();
    }
    // Back to every check up (the relay thread's own pool reconnects too) before the next test.
    await eventually(async () => (await get('/health/ready')).body?.status === 'ready', 15_000);
  });

  it('counts an app indicator down as degraded, or unavailable when it is critical', async () => {
    state.sync = { up: false, detail: { lastSync: '2026-11-30T00:00:00Z' } };
    const degraded = await get('/health/ready');
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.checks.probe_sync).toEqual({ status: 'down', lastSync: '2026-11-30T00:00:00Z' });
    const detail = await get('/health');
    expect(detail.status).toBe(503);
    expect(detail.body.error).toEqual({ probe_sync: { status: 'down', lastSync: '2026-11-30T00:00:00Z' } });

    state.cache = { up: false };
    const unavailable = await get('/health/ready');
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.status).toBe('unavailable');
    state.sync = { up: true, detail: { lastSync: '2026-12-01T00:00:00Z' } };
    state.cache = { up: true };
    expect((await get('/health/ready')).body.status).toBe('ready');
  });

  it('counts an indicator that throws as down without showing its error', async () => {
    app.get(HealthIndicators).register('probe_broken', () => {
      throw new Error('password=hunter2 in a message');
    });
    const ready = await get('/health/ready');
    expect(ready.body.checks.probe_broken).toEqual({ status: 'down', message: 'check failed' });
    expect(ready.text).not.toContain('hunter2');
    expect(() => app.get(HealthIndicators).register('database', () => ({ up: true }))).toThrow('already registered');
  });
});
