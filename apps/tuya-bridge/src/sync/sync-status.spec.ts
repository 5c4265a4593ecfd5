import { MetricsRegistry, OneCardAppDefinition } from '@onecard/kernel';
import { BacklogSources, HealthIndicators } from '@onecard/platform';
import { TuyaBridgeConfig } from '../config';
import { SyncRun } from './sync-runs';
import { SyncStatus } from './sync-status';

function config(configured: boolean, intervalS = 300): TuyaBridgeConfig {
  return Object.assign(new TuyaBridgeConfig(), configured ? { TUYA_CLIENT_ID: 'c', TUYA_CLIENT_SECRET: 's'.repeat(16), TUYA_PROJECT_IDS: 'P1' } : {}, { TUYA_SYNC_INTERVAL_S: intervalS });
}

const metrics = () => new MetricsRegistry({ name: 'tuya-bridge' } as OneCardAppDefinition);

function run(syncId: number, finishedAt: string, outcome: SyncRun['outcome'] = 'succeeded'): SyncRun {
  return { syncId, trigger: 'schedule', outcome, startedAt: finishedAt, finishedAt, persons: 3, cards: 5, created: 0, updated: 0, deleted: 0, requests: 4, error: outcome === 'failed' ? 'boom' : null };
}

describe('SyncStatus (the tuya_sync indicator)', () => {
  it('registers itself and says "not configured", up, without credentials', async () => {
    const indicators = new HealthIndicators();
    new SyncStatus(config(false), indicators, metrics(), new BacklogSources());
    expect(await indicators.run()).toEqual([
      { name: 'tuya_sync', critical: false, up: true, detail: { sync: 'not configured', message: 'TUYA_CLIENT_ID, TUYA_CLIENT_SECRET and TUYA_PROJECT_IDS are unset: nothing is synced' } },
    ]);
  });

  it('shows on /admin/backlog as tuya_sync: a sync owed until one succeeds, and since when the copy is', async () => {
    const backlog = new BacklogSources();
    const status = new SyncStatus(config(true), new HealthIndicators(), metrics(), backlog);
    const now = Date.parse('2026-12-01T08:00:00.000Z');
    expect(await backlog.run(now)).toEqual([
      { name: 'tuya_sync', scope: 'app', pending: 1, oldestAt: null, oldestAgeSeconds: null, error: null, detail: { sync: 'pending' } },
    ]);
    status.finished(run(1, '2026-12-01T07:59:00.000Z'));
    expect(status.backlog(now)).toEqual({ pending: 0, oldestAt: '2026-12-01T07:59:00.000Z', detail: expect.objectContaining({ sync: 'fresh' }) });
    status.failed(2, 'Tuya answered 1010 token invalid', '2026-12-01T08:00:00.000Z');
    expect((await backlog.run(now))[0]).toEqual({
      name: 'tuya_sync', scope: 'app', pending: 1, oldestAt: '2026-12-01T07:59:00.000Z', oldestAgeSeconds: 60, error: null, detail: expect.objectContaining({ sync: 'stale' }),
    });
    expect(new SyncStatus(config(false), new HealthIndicators(), metrics(), new BacklogSources()).backlog(now)).toMatchObject({ pending: 0, oldestAt: null, detail: { sync: 'not configured' } });
  });

  it('goes pending → fresh → stale on a failure (keeping the last good sync) → fresh again', () => {
    const status = new SyncStatus(config(true), new HealthIndicators(), metrics(), new BacklogSources());
    expect(status.indicator()).toEqual({ up: true, detail: { sync: 'pending' } });
    status.started(1);
    expect(status.indicator().detail).toMatchObject({ sync: 'pending', running: { syncId: 1 } });
    status.finished(run(1, '2026-12-01T10:00:00.000Z'));
    const fresh = status.indicator(Date.parse('2026-12-01T10:01:00.000Z'));
    expect(fresh).toEqual({ up: true, detail: { sync: 'fresh', lastGoodSync: { syncId: 1, finishedAt: '2026-12-01T10:00:00.000Z', persons: 3, cards: 5 } } });
    status.failed(2, 'GET personnel-cards: HTTP 503 after 3 attempts', '2026-12-01T10:05:00.000Z');
    expect(status.indicator(Date.parse('2026-12-01T10:06:00.000Z'))).toEqual({
      up: false,
      detail: {
        sync: 'stale',
        lastGoodSync: { syncId: 1, finishedAt: '2026-12-01T10:00:00.000Z', persons: 3, cards: 5 },
        latestFailure: { syncId: 2, finishedAt: '2026-12-01T10:05:00.000Z', reason: 'GET personnel-cards: HTTP 503 after 3 attempts' },
      },
    });
    // Another replica's success, read from the database.
    status.refreshed({ lastGood: run(3, '2026-12-01T10:10:00.000Z'), lastFinished: run(3, '2026-12-01T10:10:00.000Z') });
    expect(status.indicator(Date.parse('2026-12-01T10:11:00.000Z'))).toMatchObject({ up: true, detail: { sync: 'fresh', lastGoodSync: { syncId: 3 } } });
    // An older view from the database does not undo a newer local one.
    status.refreshed({ lastGood: run(1, '2026-12-01T10:00:00.000Z'), lastFinished: run(2, '2026-12-01T10:05:00.000Z', 'failed') });
    expect(status.indicator(Date.parse('2026-12-01T10:11:00.000Z'))).toMatchObject({ up: true, detail: { lastGoodSync: { syncId: 3 } } });
  });

  it('counts runs and changes, and gives the last success and staleness to Prometheus', async () => {
    const registry = metrics();
    const status = new SyncStatus(config(true), new HealthIndicators(), registry, new BacklogSources());
    status.finished({ ...run(1, '2026-12-01T10:00:00.000Z'), created: 4, updated: 1 });
    status.failed(2, 'boom', '2026-12-01T10:05:00.000Z');
    const text = await registry.registry.metrics();
    expect(text).toContain('tuya_sync_runs_total{outcome="succeeded",app="tuya-bridge"} 1');
    expect(text).toContain('tuya_sync_runs_total{outcome="failed",app="tuya-bridge"} 1');
    expect(text).toContain('tuya_sync_card_changes_total{change="created",app="tuya-bridge"} 4');
    expect(text).toContain('tuya_sync_last_success_timestamp_seconds{app="tuya-bridge"} 1796119200');
    expect(text).toContain('tuya_sync_stale{app="tuya-bridge"} 1');
  });

  it('calls a copy stale when no sync succeeded for 3 intervals, 5 minutes at least', () => {
    const status = new SyncStatus(config(true, 60), new HealthIndicators(), metrics(), new BacklogSources());
    status.finished(run(1, '2026-12-01T10:00:00.000Z'));
    expect(status.indicator(Date.parse('2026-12-01T10:04:59.000Z')).up).toBe(true);
    expect(status.indicator(Date.parse('2026-12-01T10:05:01.000Z'))).toMatchObject({ up: false, detail: { sync: 'stale', reason: 'no successful sync for 301 s' } });
    const hourly = new SyncStatus(config(true, 3600), new HealthIndicators(), metrics(), new BacklogSources());
    hourly.finished(run(1, '2026-12-01T10:00:00.000Z'));
    expect(hourly.indicator(Date.parse('2026-12-01T12:59:00.000Z')).up).toBe(true);
    expect(hourly.indicator(Date.parse('2026-12-01T13:00:01.000Z')).up).toBe(false);
    // Scheduling off (operators only): age alone never makes it stale.
    const manual = new SyncStatus(config(true, 0), new HealthIndicators(), metrics(), new BacklogSources());
    manual.finished(run(1, '2026-12-01T10:00:00.000Z'));
    expect(manual.indicator(Date.parse('2026-12-09T10:00:00.000Z')).up).toBe(true);
  });
});
