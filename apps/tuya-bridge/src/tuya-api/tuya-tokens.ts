/** An access token as Tuya issued it; times are epoch milliseconds. */
export interface TuyaToken {
  accessToken: string;
  obtainedAt: number;
  expiresAt: number;
}

/**
 * Asks Tuya for a token: `GET /v1.0/token?grant_type=1`. Renewals ask for a new grant rather
 * than calling `GET /v1.0/token/{refresh_token}`: that call carries the refresh token in the URL
 * path, which logs and proxies keep, and costs the same single request.
 */
export interface TokenIssuer {
  issue(): Promise<TuyaToken>;
}

/**
 * Where replicas share the token (Postgres in the app, a variable in specs). `exclusive` runs
 * its work while holding the store's lock, so replicas renew one at a time and the second finds
 * the first's token instead of asking Tuya again.
 */
export interface SharedTokenStore {
  read(): Promise<TuyaToken | undefined>;
  exclusive(work: (held: TuyaToken | undefined, save: (token: TuyaToken) => Promise<void>) => Promise<TuyaToken>): Promise<TuyaToken>;
}

/** Renew this long before expiry: a fifth of the token's life, at most 5 minutes (Tuya's last 2 h). */
const MAX_MARGIN_MS = 5 * 60_000;

/**
 * The access token every call carries. Kept in memory as a cache of the shared store; renewed
 * before it expires and, once, when Tuya calls it invalid. Renewals are single-flight: however
 * many calls find the token stale or refused at once, one renewal runs and all of them wait for
 * it.
 */
export class TuyaTokens {
  private cached: TuyaToken | undefined;
  private renewal: Promise<TuyaToken> | undefined;

  constructor(
    private readonly issuer: TokenIssuer,
    private readonly store: SharedTokenStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token that is not about to expire. */
  async accessToken(): Promise<string> {
    if (this.cached && this.fresh(this.cached)) return this.cached.accessToken;
    if (!this.renewal) {
      // Another replica may have renewed it already.
      const shared = await this.store.read();
      if (shared && this.fresh(shared)) {
        this.cached = shared;
        return shared.accessToken;
      }
    }
    return (await this.renew(this.cached?.accessToken)).accessToken;
  }

  /** Tuya called `token` invalid or expired: the token to retry with (renewed once for all callers). */
  async rejected(token: string): Promise<string> {
    if (!this.renewal && this.cached && this.cached.accessToken !== token && this.fresh(this.cached)) return this.cached.accessToken;
    return (await this.renew(token)).accessToken;
  }

  /** Whether `token` has at least its renewal margin left. */
  fresh(token: TuyaToken): boolean {
    const margin = Math.min(MAX_MARGIN_MS, (token.expiresAt - token.obtainedAt) / 5);
    return this.now() < token.expiresAt - margin;
  }

  private renew(stale: string | undefined): Promise<TuyaToken> {
    this.renewal ??= this.store
      .exclusive(async (held, save) => {
        // A replica (or an earlier renewal) may have replaced the stale token meanwhile.
        if (held && held.accessToken !== stale && this.fresh(held)) return held;
        const next = await this.issuer.issue();
        await save(next);
        return next;
      })
      .then((token) => {
        this.cached = token;
        return token;
      })
      .finally(() => {
        this.renewal = undefined;
      });
    return this.renewal;
  }
}

/** A store for one process (specs, and a replica before its database answers). */
export class MemoryTokenStore implements SharedTokenStore {
  private token: TuyaToken | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  async read(): Promise<TuyaToken | undefined> {
    return this.token;
  }

  exclusive(work: (held: TuyaToken | undefined, save: (token: TuyaToken) => Promise<void>) => Promise<TuyaToken>): Promise<TuyaToken> {
    const run = this.queue.then(() =>
      work(this.token, async (token) => {
        this.token = token;
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }
}
