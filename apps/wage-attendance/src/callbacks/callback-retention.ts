import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WageAttendanceConfig } from '../config';

/** Drops delivered callbacks older than CALLBACK_RETENTION_DAYS, hourly (dead letters stay until replayed). */
@Injectable()
export class CallbackRetention implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('callbacks');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly config: WageAttendanceConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.CALLBACK_RETENTION_DAYS === 0) return;
    this.timer = setInterval(() => void this.sweep(), 3_600_000);
    this.timer.unref();
  }

  async sweep(): Promise<number> {
    try {
      const [, count] = await this.db.query(`DELETE FROM callback WHERE status = 'delivered' AND created_at < now() - $1 * interval '1 day'`, [
        this.config.CALLBACK_RETENTION_DAYS,
      ]);
      if (count > 0) this.logger.log(`dropped ${count} delivered callbacks older than ${this.config.CALLBACK_RETENTION_DAYS} days`);
      return count;
    } catch (error) {
      this.logger.warn(`delivered callbacks not dropped this time: ${(error as Error).message}`);
      return 0;
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
