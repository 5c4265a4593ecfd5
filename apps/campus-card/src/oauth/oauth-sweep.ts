import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Expired authorization codes and tokens are useless (the library refuses them) but would pile
 * up; dropped every ten minutes in every replica (the deletes are idempotent).
 */
@Injectable()
export class OAuthSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('oauth-sweep');
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`)), 600_000);
    this.timer.unref();
  }

  async sweep(): Promise<void> {
    await this.db.query(`DELETE FROM oauth_code WHERE expires_at < now()`);
    await this.db.query(`DELETE FROM oauth_token WHERE greatest(access_expires_at, coalesce(refresh_expires_at, access_expires_at)) < now()`);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
