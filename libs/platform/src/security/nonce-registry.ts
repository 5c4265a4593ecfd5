import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface Claim {
  scope: string;
  nonce: string;
  ttlMs: number;
  resolve(fresh: boolean): void;
  reject(error: unknown): void;
}

/** Claims written by one statement at most (a busy replica's burst). */
const MAX_BATCH = 500;
/**
 * Statements in flight at once. One: claims arriving while it is written wait for it and go
 * together in the next, so a busy replica writes few large statements (each round trip costs its
 * request thread a system call or two); three at once made three times the statements, each
 * smaller, for no shorter wait (measured by bench:attendance, 2026-12-05).
 */
const WRITERS = 1;

/**
 * Single-use nonces for signed device requests, kept in the app's schema so a replay landing on
 * another replica is still refused. Claims arriving while a statement is being written are
 * written together by the next (one INSERT, one commit for a busy fleet's
 * requests): each is still answered on its own, true only for its first use.
 */
@Injectable()
export class NonceRegistry {
  private lastSweep = 0;
  private queue: Claim[] = [];
  private writers = 0;

  constructor(private readonly db: DataSource) {}

  /** True the first time (scope, nonce) is seen within `ttlMs`; false for a replay. */
  claim(scope: string, nonce: string, ttlMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ scope, nonce, ttlMs, resolve, reject });
      if (this.writers < WRITERS) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writers++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const fresh = await this.write(batch);
          for (const c of batch) c.resolve(fresh.has(c));
        } catch (error) {
          // The claims that queued behind a failed statement would wait out the same broken
          // database one statement timeout after another: they fail with it.
          for (const c of [...batch, ...this.queue.splice(0)]) c.reject(error);
        }
      }
    } finally {
      this.writers--;
    }
    void this.sweep();
  }

  /** The claims that are first uses. A nonce twice in one batch: the later one is the replay. */
  private async write(batch: Claim[]): Promise<Set<Claim>> {
    const firsts = new Map<string, Claim>();
    for (const c of batch) {
      const key = `${c.scope}\u0000${c.nonce}`;
      if (!firsts.has(key)) firsts.set(key, c);
    }
    const claims = [...firsts.values()];
    const rows: Array<{ scope: string; nonce: string }> = await this.db.query(
      `INSERT INTO request_nonce (scope, nonce, expires_at)
       SELECT s, n, now() + t * interval '1 millisecond' FROM unnest($1::text[], $2::text[], $3::float8[]) AS x(s, n, t)
       ON CONFLICT (scope, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_nonce.expires_at < now()
       RETURNING scope, nonce`,
      [claims.map((c) => c.scope), claims.map((c) => c.nonce), claims.map((c) => c.ttlMs)],
    );
    return new Set(rows.map((r) => firsts.get(`${r.scope}\u0000${r.nonce}`) as Claim));
  }

  /** Expired nonces are dropped at most once a minute, off the request path. */
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    await this.db.query(`DELETE FROM request_nonce WHERE expires_at < now()`).catch(() => undefined);
  }
}
