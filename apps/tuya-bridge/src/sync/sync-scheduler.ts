import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TuyaBridgeConfig } from '../config';
import { SyncRuns } from './sync-runs';
import { SyncStatus } from './sync-status';
import { SyncService } from './sync.service';

/** How often each replica re-reads the sync history for /health (other replicas' syncs). */
const STATUS_REFRESH_MS = 5000;

/**
 * Syncs at start-up and every TUYA_SYNC_INTERVAL_S (0: only when an operator asks). Every
 * replica ticks; the advisory lock and the "ran recently" check (the last start, any replica)
 * make one of them sync per interval. A failed sync is simply retried at the next tick.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('tuya-sync');
  private syncTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private ticking: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: TuyaBridgeConfig,
    private readonly sync: SyncService,
    private readonly runs: SyncRuns,
    private readonly status: SyncStatus,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.tuyaConfigured) {
      this.logger.warn('Tuya is not configured (TUYA_CLIENT_ID, TUYA_CLIENT_SECRET, TUYA_PROJECT_IDS): nothing will be synced');
      return;
    }
    this.refreshStatus();
    if (this.config.TUYA_SYNC_INTERVAL_S > 0) this.scheduleSync(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.syncTimer);
    clearTimeout(this.statusTimer);
    // A sync under way gets a moment to finish; past that, closing the pool fails it (recorded as abandoned by the next).
    await Promise.race([this.ticking, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private scheduleSync(delayMs: number): void {
    if (this.stopped) return;
    const intervalMs = this.config.TUYA_SYNC_INTERVAL_S * 1000;
    this.syncTimer = setTimeout(() => {
      // Another replica that started within the last 90 % of an interval already did this one.
      this.ticking = this.sync.scheduledSync(intervalMs * 0.9).finally(() => this.scheduleSync(intervalMs));
    }, delayMs);
    this.syncTimer.unref();
  }

  private refreshStatus(): void {
    if (this.stopped) return;
    this.runs
      .latest()
      .then((latest) => this.status.refreshed(latest))
      .catch(() => undefined) // Postgres away: /health says so itself; keep what we knew
      .finally(() => {
        if (this.stopped) return;
        this.statusTimer = setTimeout(() => this.refreshStatus(), STATUS_REFRESH_MS);
        this.statusTimer.unref();
      });
  }
}
