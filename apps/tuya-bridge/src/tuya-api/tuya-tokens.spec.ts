import { TuyaUnavailable } from './tuya-api.errors';
import { MemoryTokenStore, TokenIssuer, TuyaToken, TuyaTokens } from './tuya-tokens';

const HOUR = 3_600_000;

/** A Tuya that issues numbered tokens valid 2 h, answering after `delayMs`. */
class CountingIssuer implements TokenIssuer {
  issued = 0;
  fail: Error | undefined;
  delayMs = 5;
  constructor(private readonly now: () => number) {}

  async issue(): Promise<TuyaToken> {
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw this.fail;
    return { accessToken: `AT${this.issued++}`, obtainedAt: this.now(), expiresAt: this.now() + 2 * HOUR };
  }
}

describe('TuyaTokens', () => {
  let clock: number;
  const now = () => clock;
  let issuer: CountingIssuer;
  let store: MemoryTokenStore;
  let tokens: TuyaTokens;

  beforeEach(() => {
    clock = 1_700_000_000_000;
    issuer = new CountingIssuer(now);
    store = new MemoryTokenStore();
    tokens = new TuyaTokens(issuer, store, now);
  });

  it('asks Tuya once however many calls need a token at the same time', async () => {
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.accessToken()));
    expect(new Set(got)).toEqual(new Set(['AT0']));
    expect(issuer.issued).toBe(1);
    // Later calls use the cached token.
    expect(await tokens.accessToken()).toBe('AT0');
    expect(issuer.issued).toBe(1);
  });

  it('renews before expiry (5 minutes ahead for a 2 h token)', async () => {
    await tokens.accessToken();
    clock += 2 * HOUR - 5 * 60_000 - 1;
    expect(await tokens.accessToken()).toBe('AT0');
    clock += 1;
    expect(await tokens.accessToken()).toBe('AT1');
    expect(issuer.issued).toBe(2);
  });

  it('renews a short-lived token a fifth of its life ahead', () => {
    const token = { accessToken: 'a', obtainedAt: clock, expiresAt: clock + 10_000 };
    clock += 7_999;
    expect(tokens.fresh(token)).toBe(true);
    clock += 1;
    expect(tokens.fresh(token)).toBe(false);
  });

  it('renews once when many calls are told at once that their token is invalid, and they all retry with the new one', async () => {
    const first = await tokens.accessToken();
    const retried = await Promise.all(Array.from({ length: 10 }, () => tokens.rejected(first)));
    expect(new Set(retried)).toEqual(new Set(['AT1']));
    expect(issuer.issued).toBe(2);
    // A late rejection of the old token does not renew again: the new one is already there.
    expect(await tokens.rejected(first)).toBe('AT1');
    expect(issuer.issued).toBe(2);
    // The new token refused too: one more renewal (the caller decides not to retry twice).
    expect(await tokens.rejected('AT1')).toBe('AT2');
  });


  it('shares the token with other replicas through the store instead of asking Tuya again', async () => {
    const replica = new TuyaTokens(issuer, store, now);
    expect(await tokens.accessToken()).toBe('AT0');
    expect(await replica.accessToken()).toBe('AT0');
    expect(issuer.issued).toBe(1);
    // One replica is refused and renews; the other, refused with the same old token, finds the new one.
    expect(await tokens.rejected('AT0')).toBe('AT1');
    expect(await replica.rejected('AT0')).toBe('AT1');
    expect(issuer.issued).toBe(2);
  });

  it('lets a failed renewal fail its callers and tries again on the next call', async () => {
    issuer.fail = new TuyaUnavailable('tuya: GET /v1.0/token: network error (3 attempts)');
    await expect(Promise.all([tokens.accessToken(), tokens.accessToken()])).rejects.toThrow('network error');
    issuer.fail = undefined;
    expect(await tokens.accessToken()).toBe('AT0');
  });
});
