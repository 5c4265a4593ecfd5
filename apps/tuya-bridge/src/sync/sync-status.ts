import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsRegistry } from '@onecard/kernel';
import { BacklogSources, BacklogState, HealthIndicators, IndicatorState } from '@onecard/platform';
import { TuyaBridgeConfig } from '../config';
import { SyncRun } from './sync-runs';

/**
 * A copy older than this many sync intervals, and at least STALE_AFTER_MIN_MS, is stale even if
 * no sync failed (the scheduler is stuck). The floor leaves room for a sync's own length and the
 * few seconds another replica's success takes to reach this one.
 */
const STALE_AFTER_INTERVALS = 3;
const STALE_AFTER_MIN_MS = 5 * 60_000;

/**
 * What /health says about the sync (indicator `tuya_sync`), from state kept in memory: this
 * replica's own syncs, plus the sync_run table read every few seconds for the other replicas'.
 *
 * - not configured: up, "not configured" (the app runs without Tuya on purpose);
 * - no sync finished yet: up, "pending";
 * - the latest sync succeeded: up, "fresh", when it finished and what it holds;
 * - the latest sync failed, or the last success is older than 3 intervals (5 min at least): DOWN, "stale", when
 *   the last good sync finished and why the latest failed. Not critical: the last good copy is
 *   still served, so the app stays ready (degraded).
 */
@Injectable()
export class SyncStatus {
  private lastGood: SyncRun | undefined;
  private lastFinished: Pick<SyncRun, 'syncId' | 'outcome' | 'finishedAt' | 'error'> | undefined;
  private running: { syncId: number; since: string } | undefined;
  private readonly runs: Counter<'outcome'>;
  private readonly changes: Counter<'change'>;

  constructor(
    private readonly config: TuyaBridgeConfig,
    indicators: HealthIndicators,
    metrics: MetricsRegistry,
    backlog: BacklogSources,
  ) {
    indicators.register('tuya_sync', () => this.indicator());
    backlog.register('tuya_sync', () => this.backlog());
    this.runs = metrics.counter('tuya_sync_runs_total', 'Syncs this replica ran, by outcome', ['outcome']);
    this.changes = metrics.counter('tuya_sync_card_changes_total', 'card.changed events recorded by this replica\'s syncs, by change', ['change']);
    const status = this;
    metrics.gauge('tuya_sync_last_success_timestamp_seconds', 'When the last successful sync (any replica) finished; 0 before one', function () {
      this.set(status.lastGood?.finishedAt ? Date.parse(status.lastGood.finishedAt) / 1000 : 0);
    });
    metrics.gauge('tuya_sync_stale', '1 while /health calls the synced copy stale', function () {
      this.set(status.config.tuyaConfigured && !status.indicator().up ? 1 : 0);
    });
  }

  started(syncId: number): void {
    this.running = { syncId, since: new Date().toISOString() };
  }

  finished(run: SyncRun): void {
    this.runs.inc({ outcome: 'succeeded' });
    for (const change of ['created', 'updated', 'deleted'] as const) this.changes.inc({ change }, run[change] ?? 0);
    this.running = undefined;
    this.lastGood = run;
    this.lastFinished = run;
  }

  failed(syncId: number, error: string, at: string): void {
    this.runs.inc({ outcome: 'failed' });
    this.running = undefined;
    this.lastFinished = { syncId, outcome: 'failed', finishedAt: at, error };
  }

  /** The database's view (other replicas' syncs included), newer than what this replica saw. */
  refreshed(latest: { lastGood?: SyncRun; lastFinished?: SyncRun; running?: SyncRun }): void {
    if (latest.lastGood && latest.lastGood.syncId >= (this.lastGood?.syncId ?? 0)) this.lastGood = latest.lastGood;
    if (latest.lastFinished && latest.lastFinished.syncId >= (this.lastFinished?.syncId ?? 0)) this.lastFinished = latest.lastFinished;
    const running = latest.running && latest.running.syncId > (this.lastFinished?.syncId ?? 0) ? latest.running : undefined;
    this.running = running ? { syncId: running.syncId, since: running.startedAt } : undefined;
  }

  /**
   * For /admin/backlog: `pending` 1 while a sync is owed (the copy is stale, or none finished yet),
   * else 0; `oldestAt` when the copy served was made (the last good sync's end); `detail` as on /health.
   */
  backlog(now = Date.now()): BacklogState {
    const state = this.indicator(now);
    const sync = state.detail?.sync;
    return { pending: sync === 'stale' || sync === 'pending' ? 1 : 0, oldestAt: this.lastGood?.finishedAt ?? null, detail: state.detail };
  }

  indicator(now = Date.now()): IndicatorState {
    if (!this.config.tuyaConfigured) {
      return { up: true, detail: { sync: 'not configured', message: 'TUYA_CLIENT_ID, TUYA_CLIENT_SECRET and TUYA_PROJECT_IDS are unset: nothing is synced' } };
    }
    const lastGood = this.lastGood ? { syncId: this.lastGood.syncId, finishedAt: this.lastGood.finishedAt, persons: this.lastGood.persons, cards: this.lastGood.cards } : null;
    const running = this.running ? { running: this.running } : {};
    if (this.lastFinished?.outcome === 'failed') {
      return {
        up: false,
        detail: { sync: 'stale', lastGoodSync: lastGood, latestFailure: { syncId: this.lastFinished.syncId, finishedAt: this.lastFinished.finishedAt, reason: this.lastFinished.error }, ...running },
      };
    }
    if (!lastGood) return { up: true, detail: { sync: 'pending', ...running } };
    const intervalMs = this.config.TUYA_SYNC_INTERVAL_S * 1000;
    const age = now - Date.parse(lastGood.finishedAt ?? '');
    if (intervalMs > 0 && age > Math.max(STALE_AFTER_INTERVALS * intervalMs, STALE_AFTER_MIN_MS)) {
      return { up: false, detail: { sync: 'stale', lastGoodSync: lastGood, reason: `no successful sync for ${Math.round(age / 1000)} s`, ...running } };
    }
    return { up: true, detail: { sync: 'fresh', lastGoodSync: lastGood, ...running } };
  }
}
