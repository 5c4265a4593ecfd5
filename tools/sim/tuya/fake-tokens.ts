import { randomBytes } from 'node:crypto';

interface Issued {
  refreshToken: string;
  expiresAt: number;
}

/**
 * The fake's access tokens: issued by `GET /v1.0/token?grant_type=1`, replaced by
 * `GET /v1.0/token/{refresh_token}` (the old access token stops working), expired after their
 * time or when a test says so.
 */
export class FakeTokens {
  private readonly byAccess = new Map<string, Issued>();
  private readonly byRefresh = new Map<string, string>();
  /** Business requests left before every token issued so far expires (a test's "expire mid-sync"). */
  private expireCountdown: number | undefined;
  issuedCount = 0;

  constructor(public ttlS: number) {}

  issue(now: number): { access_token: string; refresh_token: string; expire_time: number; uid: string } {
    const access = randomBytes(16).toString('hex');
    const refresh = randomBytes(16).toString('hex');
    this.byAccess.set(access, { refreshToken: refresh, expiresAt: now + this.ttlS * 1000 });
    this.byRefresh.set(refresh, access);
    this.issuedCount++;
    return { access_token: access, refresh_token: refresh, expire_time: this.ttlS, uid: 'bay1662544806542fake' };
  }

  /** A new token for a known refresh token (used once); undefined for an unknown one. */
  refresh(refreshToken: string, now: number): ReturnType<FakeTokens['issue']> | undefined {
    const access = this.byRefresh.get(refreshToken);
    if (access === undefined) return undefined;
    this.byRefresh.delete(refreshToken);
    this.byAccess.delete(access);
    return this.issue(now);
  }

  /** Undefined when the token may be used now; else Tuya's code and message. Counts down a pending expiry. */
  check(accessToken: string | undefined, now: number): { code: number; msg: string } | undefined {
    if (this.expireCountdown !== undefined && this.expireCountdown-- <= 0) {
      this.expireCountdown = undefined;
      this.expireAll(now);
    }
    if (!accessToken) return { code: 1002, msg: 'access_token is null' };
    const issued = this.byAccess.get(accessToken);
    if (!issued) return { code: 1011, msg: 'token invalid' };
    if (issued.expiresAt <= now) return { code: 1010, msg: 'token is expired' };
    return undefined;
  }

  expireAll(now: number): number {
    let count = 0;
    for (const issued of this.byAccess.values()) {
      if (issued.expiresAt > now) count++;
      issued.expiresAt = Math.min(issued.expiresAt, now);
    }
    return count;
  }

  /** Every token issued so far expires once `requests` more business requests have been answered. */
  expireAfter(requests: number): void {
    this.expireCountdown = requests;
  }
}
