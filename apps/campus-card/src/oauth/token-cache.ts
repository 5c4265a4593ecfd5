import { Injectable } from '@nestjs/common';
import { CampusCardConfig } from '../config';
import type { AccessToken } from './oauth-model';

/** Past this many tokens the expired ones are dropped, and if that is not enough, all. */
const MOST_TOKENS = 50_000;

/**
 * Access tokens this replica looked up in the last `OAUTH_TOKEN_CACHE_MS`, by their hash: a
 * cardholder's app pages its transactions or opens several views with one token, and each call
 * would otherwise start with a round trip for it. A cache of the database, never the only copy:
 * nothing is remembered longer than that, an unknown token is always looked up again (a token
 * issued by another replica works at once), and the token's own expiry is checked by the OAuth2
 * library on every call. Revocations in this replica (a refresh retiring the old pair, a client
 * removed) take effect here at once; in other replicas within `OAUTH_TOKEN_CACHE_MS`.
 */
@Injectable()
export class AccessTokenCache {
  private readonly tokens = new Map<string, { token: AccessToken; until: number }>();
  private readonly ttlMs: number;

  constructor(config: CampusCardConfig) {
    this.ttlMs = config.OAUTH_TOKEN_CACHE_MS;
  }

  get(hash: string): AccessToken | undefined {
    const hit = this.tokens.get(hash);
    if (!hit) return undefined;
    if (hit.until > Date.now()) return hit.token;
    this.tokens.delete(hash);
    return undefined;
  }

  /** `lookedUpAt`: when the lookup started, so a revocation committed meanwhile cannot be outlived by more than the TTL. */
  set(hash: string, token: AccessToken, lookedUpAt: number): void {
    if (this.ttlMs === 0) return;
    if (this.tokens.size >= MOST_TOKENS) this.prune();
    this.tokens.set(hash, { token, until: lookedUpAt + this.ttlMs });
  }

  forget(hashes: string[]): void {
    for (const hash of hashes) this.tokens.delete(hash);
  }

  /** A client removed: its tokens are not known here by client, so all go. */
  forgetAll(): void {
    this.tokens.clear();
  }

  private prune(): void {
    const now = Date.now();
    for (const [hash, { until }] of this.tokens) if (until <= now) this.tokens.delete(hash);
    if (this.tokens.size >= MOST_TOKENS) this.tokens.clear();
  }
}
