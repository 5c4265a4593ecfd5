import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RECHARGE_FAILURES } from './recharge-status';

/**
 * Orders left unpaid past expireTime are closed as PAY_FAILED (failedReason says why), every 30 s
 * in every replica (the update is conditional, so replicas never disagree). A payment confirmed
 * later for a time before expireTime is still credited (payment-notify.service.ts).
 */
@Injectable()
export class RechargeExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('recharge-expiry');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), 30_000);
    this.timer.unref();
  }

  /** Expires every overdue order; resolves with how many. */
  sweep(): Promise<number> {
    this.running ??= this.db
      .query(
        `UPDATE recharge_order SET status = 'PAY_FAILED', failed_reason = $1, updated_at = now()
          WHERE status = 'PAY_PENDING' AND expire_time < now()`,
        [RECHARGE_FAILURES.expired],
      )
      .then(([, count]: [unknown, number]) => count)
      .catch((error: Error) => {
        this.logger.warn(`sweep failed: ${error.message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
