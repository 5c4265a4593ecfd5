import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A phone's wrong-code count is forgotten after this long without an attempt (and no lock running). */
export const PICKUP_ATTEMPT_MEMORY_HOURS = 24;

/**
 * openCardUserDetail keeps a row per phone number typed at a kiosk (its wrong-code count and
 * lock). Rows with no lock running and no attempt for a day carry nothing worth keeping; without
 * this the table grows by every number ever typed. Hourly, in every replica (the delete is
 * idempotent).
 */
@Injectable()
export class PickupAttemptSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('pickup-attempts');
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`)), 3_600_000);
    this.timer.unref();
  }

  /** Deletes the stale rows; resolves with how many. */
  async sweep(): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `DELETE FROM pickup_attempt WHERE (locked_until IS NULL OR locked_until < now()) AND updated_at < now() - $1 * interval '1 hour'`,
      [PICKUP_ATTEMPT_MEMORY_HOURS],
    );
    return count;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
