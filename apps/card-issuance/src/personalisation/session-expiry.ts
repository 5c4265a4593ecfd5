import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CardIssuanceConfig } from '../config';

/**
 * Closes running personalisation sessions a kiosk left idle, so operators see them as EXPIRED
 * rather than forever ACTIVE, and a late report gets a clear "start again". Runs in every
 * replica: the update is conditional and bumps `version`, so a replica's cached copy of an
 * expired session fails its next conditional update and is read again.
 */
@Injectable()
export class SessionExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('session-expiry');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly db: DataSource,
    private readonly config: CardIssuanceConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Often enough that a session closes within a fraction of its idle limit, at most once a minute.
    const everyMs = Math.min(60_000, Math.max(250, (this.config.PERSONALISATION_IDLE_SECONDS * 1000) / 4));
    this.timer = setInterval(() => void this.sweep(), everyMs);
    this.timer.unref();
  }

  /** Expires every idle session; resolves with how many. */
  sweep(): Promise<number> {
    this.running ??= this.expireIdle()
      .catch((error: Error) => {
        this.logger.warn(`sweep failed: ${error.message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async expireIdle(): Promise<number> {
    const idle = this.config.PERSONALISATION_IDLE_SECONDS;
    const [rows]: [Array<{ id: string; order_id: string }>, number] = await this.db.query(
      `UPDATE personalisation_session SET status = 'EXPIRED', failure = $2, version = version + 1, updated_at = now()
       WHERE status = 'ACTIVE' AND updated_at < now() - $1 * interval '1 second'
       RETURNING id, order_id`,
      [idle, `no report for ${idle} s`],
    );
    for (const row of rows) this.logger.log(`session ${row.id} of order ${row.order_id} expired after ${idle} s without a report`);
    return rows.length;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
