import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { WageAttendanceConfig } from '../config';
import { DeviceStatusRow, terminalStatus, wentOfflineAt } from './device-events';

/** Terminals marked offline per transaction at most (a fleet falling silent at once goes in several). */
const BATCH = 500;

/**
 * /device/query computes onlineState when asked; nothing happens when a terminal falls silent. So
 * every TERMINAL_OFFLINE_SWEEP_MS each replica marks the terminals online (as published) but
 * silent past TERMINAL_OFFLINE_AFTER_S offline and publishes their `offline`, in one transaction.
 * The UPDATE takes its rows FOR UPDATE SKIP LOCKED and re-checks them, so replicas sweeping at once
 * split the work and a transition is published once; a row a terminal's call holds is skipped,
 * and that call publishes the offline itself if it is due (TerminalPresence).
 */
@Injectable()
export class OfflineSweep implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('devices');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly config: WageAttendanceConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.TERMINAL_OFFLINE_SWEEP_MS);
    this.timer.unref();
  }

  /** Marks and publishes every terminal due; answers how many. One run at a time per replica. */
  sweep(): Promise<number> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const marked = await this.db.transaction(async (m) => {
          const window = this.config.TERMINAL_OFFLINE_AFTER_S;
          // An UPDATE answers [rows, count].
          const [rows]: [Array<DeviceStatusRow & { last_active_at: Date }>, number] = await m.query(
            `UPDATE device SET online = false
              WHERE device_key IN (SELECT device_key FROM device WHERE online AND last_active_at < now() - make_interval(secs => $1)
                                    ORDER BY last_active_at LIMIT $2 FOR UPDATE SKIP LOCKED)
              RETURNING device_key, state, version_no, last_active_at`,
            [window, BATCH],
          );
          await this.outbox.addMany(m, Events.TerminalStatusChanged, rows.map((row) => terminalStatus(row, 'offline', 2, wentOfflineAt(row.last_active_at, window))));
          return rows.length;
        });
        total += marked;
        if (marked < BATCH) return total;
      }
    } catch (error) {
      this.logger.warn(`offline terminals not swept this time: ${(error as Error).message}`);
      return total;
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
