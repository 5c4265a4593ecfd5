import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Single-use nonces for signed device requests, kept in the app's schema so a replay landing on
 * another replica is still refused.
 */
@Injectable()
export class NonceRegistry {
  private lastSweep = 0;

  constructor(private readonly db: DataSource) {}

  /** True the first time (scope, nonce) is seen within `ttlMs`; false for a replay. */
  async claim(scope: string, nonce: string, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO request_nonce (scope, nonce, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (scope, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_nonce.expires_at < now()
       RETURNING 1`,
      [scope, nonce, ttlMs],
    );
    void this.sweep();
    return rows.length === 1;
  }

  /** Expired nonces are dropped at most once a minute, off the request path. */
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    await this.db.query(`DELETE FROM request_nonce WHERE expires_at < now()`).catch(() => undefined);
  }
}
