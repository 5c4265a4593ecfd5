import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransitValidationConfig } from '../config';
import { ChangeFeed } from '../core/change-feed';

const POLL_MS = 60_000;

/** Where a device's heartbeat interval comes from. */
export type IntervalSource = 'device' | 'line' | 'default';

/**
 * Per-line settings (today: the heartbeat interval), held in memory for the heartbeat's answer.
 * The database (`line_setting`) is the truth: a change announces itself on the change feed and
 * every replica re-reads the table (a few rows per line); it is also re-read every minute, the
 * bound while a replica's LISTEN connection is down.
 */
@Injectable()
export class LineSettings implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('line-settings');
  private intervals = new Map<string, number>();
  private reloading?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly feed: ChangeFeed,
    private readonly config: TransitValidationConfig,
  ) {
    feed.on('line', () => void this.reload().catch((error: Error) => this.logger.warn(`reload failed: ${error.message}`)));
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch(() => undefined), POLL_MS);
    this.timer.unref();
  }

  /** Seconds between heartbeats a device is told: its own setting, else its line's, else TRANSIT_REPORT_INTERVAL_S. */
  reportInterval(device: { heartbeatInterval: number | null; lineId: string }): number {
    return device.heartbeatInterval ?? this.intervals.get(device.lineId) ?? this.config.TRANSIT_REPORT_INTERVAL_S;
  }

  intervalSource(device: { heartbeatInterval: number | null; lineId: string }): IntervalSource {
    return device.heartbeatInterval !== null ? 'device' : this.intervals.has(device.lineId) ? 'line' : 'default';
  }

  /** The line's own interval (undefined: the default applies). */
  lineInterval(lineId: string): number | undefined {
    return this.intervals.get(lineId);
  }

  /** Sets (or with null clears) a line's interval; every replica's copy follows on commit. */
  async setInterval(lineId: string, seconds: number | null): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO line_setting (line_id, heartbeat_interval) VALUES ($1, $2)
         ON CONFLICT (line_id) DO UPDATE SET heartbeat_interval = EXCLUDED.heartbeat_interval, updated_at = now()`,
        [lineId, seconds],
      );
      await this.feed.notify(manager, 'line', lineId);
    });
    // This replica answers with it at once (the others within the NOTIFY's delivery).
    const next = new Map(this.intervals);
    if (seconds === null) next.delete(lineId);
    else next.set(lineId, seconds);
    this.intervals = next;
  }

  /** Re-reads every line's settings (coalesced: one read at a time, one more if asked meanwhile). */
  private reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.again = false;
        const rows: Array<{ line_id: string; heartbeat_interval: number }> = await this.db.query(
          `SELECT line_id, heartbeat_interval FROM line_setting WHERE heartbeat_interval IS NOT NULL`,
        );
        this.intervals = new Map(rows.map((r) => [r.line_id, r.heartbeat_interval]));
      } while (this.again);
    })().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
