import { BeforeApplicationShutdown, Logger, OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

export interface PresenceSweepOptions<Row> {
  /** Names the sweep in logs. */
  name: string;
  /** How often each replica sweeps (ms): an `offline` is published at most this late. */
  everyMs: number;
  /** Devices marked offline per transaction at most (a fleet falling silent at once goes in several); $1 of `markOffline`. */
  batch?: number;
  /**
   * The app's statement marking devices offline and answering them: devices online as published
   * and silent past their window, taken FOR UPDATE SKIP LOCKED, at most $1 of them, e.g.
   * `UPDATE device SET online = false WHERE device_key IN (SELECT device_key FROM device WHERE online AND
   * last_active_at <= now() - make_interval(secs => $2) ORDER BY last_active_at LIMIT $1 FOR UPDATE SKIP LOCKED)
   * RETURNING device_key, …`. Replicas sweeping at once then split the devices (a row another holds
   * is skipped; one it marked no longer matches), so each offline is published once.
   */
  markOffline: string;
  /** Parameters from $2 on, read at each sweep. */
  params?: () => unknown[];
  /** Records the marked devices' `offline` events (the outbox), in the transaction that marked them. */
  publish(manager: EntityManager, rows: Row[]): Promise<unknown>;
}

const DEFAULT_BATCH = 500;

/** When a device last heard at `lastSeenAt` went offline: the moment its silence passed the window (an `offline` event's `at`). */
export function wentOfflineAt(lastSeenAt: Date, offlineAfterS: number): Date {
  return new Date(new Date(lastSeenAt).getTime() + offlineAfterS * 1000);
}

/**
 * Devices whose online state is computed when asked (last heard within a window) have nothing
 * that happens when one falls silent. A PresenceSweep makes it happen: every `everyMs` each
 * replica runs the app's `markOffline` in batches and hands the rows to `publish` in the same
 * transaction, so the state change and its event commit together. Coming back online is the app's
 * own (the call or write that records a device as heard flips `online` back and publishes it).
 * Extend it as an app provider; `sweep()` also runs one at once (tests).
 */
export class PresenceSweep<Row> implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    protected readonly db: DataSource,
    private readonly options: PresenceSweepOptions<Row>,
  ) {
    this.logger = new Logger(options.name);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), this.options.everyMs);
    this.timer.unref();
  }

  /** Marks and publishes every device due; answers how many. One run at a time per replica. */
  sweep(): Promise<number> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<number> {
    const batch = this.options.batch ?? DEFAULT_BATCH;
    let total = 0;
    try {
      for (;;) {
        const marked = await this.db.transaction(async (manager) => {
          // An UPDATE answers [rows, count].
          const [rows]: [Row[], number] = await manager.query(this.options.markOffline, [batch, ...(this.options.params?.() ?? [])]);
          if (rows.length > 0) await this.options.publish(manager, rows);
          return rows.length;
        });
        total += marked;
        if (marked < batch) return total;
      }
    } catch (error) {
      // The next sweep tries again; nothing was marked without its event.
      this.logger.warn(`devices not swept this time: ${(error as Error).message}`);
      return total;
    }
  }

  /** Stops the timer and lets a running sweep finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
