import type { DataSource } from 'typeorm';
import { NonceRegistry } from './nonce-registry';

/** request_nonce in memory, answering the registry's INSERT as Postgres would (RETURNING the rows written). */
function fakeDb() {
  const stored = new Map<string, number>();
  const statements: number[] = [];
  const db = {
    query: async (sql: string, params: [string[], string[], number[]]) => {
      if (sql.startsWith('DELETE')) return [];
      await new Promise((r) => setTimeout(r, 5));
      const [scopes, nonces, ttls] = params;
      statements.push(scopes.length);
      const keys = scopes.map((s, i) => `${s}/${nonces[i]}`);
      if (new Set(keys).size !== keys.length) throw new Error('ON CONFLICT DO UPDATE command cannot affect row a second time');
      const rows = [];
      for (let i = 0; i < keys.length; i++) {
        const expires = stored.get(keys[i]);
        if (expires !== undefined && expires >= Date.now()) continue;
        stored.set(keys[i], Date.now() + ttls[i]);
        rows.push({ scope: scopes[i], nonce: nonces[i] });
      }
      return rows;
    },
  };
  return { db: db as unknown as DataSource, statements };
}

describe('NonceRegistry', () => {
  it('answers true for a first use and false for a replay, per scope', async () => {
    const { db } = fakeDb();
    const nonces = new NonceRegistry(db);
    expect(await nonces.claim('kiosk:K1', 'abcdefgh', 60_000)).toBe(true);
    expect(await nonces.claim('kiosk:K1', 'abcdefgh', 60_000)).toBe(false);
    expect(await nonces.claim('kiosk:K2', 'abcdefgh', 60_000)).toBe(true);
  });

  it('fails the claims queued behind a failed statement with it, rather than one statement timeout after another', async () => {
    let statements = 0;
    const db = {
      query: async (sql: string) => {
        if (sql.startsWith('DELETE')) return [];
        statements++;
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('statement timeout');
      },
    } as unknown as DataSource;
    const nonces = new NonceRegistry(db);
    const claims = [nonces.claim('kiosk:K1', 'a', 1000), nonces.claim('kiosk:K1', 'b', 1000), nonces.claim('kiosk:K1', 'c', 1000)];
    const outcomes = await Promise.allSettled(claims);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(statements).toBe(1);
  });

  it('writes the claims arriving meanwhile with one statement, each answered on its own; a nonce twice in a batch is a replay', async () => {
    const { db, statements } = fakeDb();
    const nonces = new NonceRegistry(db);
    const first = nonces.claim('terminal:T1', 'n-0', 60_000);
    const burst = Array.from({ length: 50 }, (_, i) => nonces.claim('terminal:T1', `n-${i % 40}`, 60_000));
    expect(await first).toBe(true);
    const answers = await Promise.all(burst);
    // n-0 was claimed by `first`; n-1 … n-39 once each, their second use (i >= 40) refused.
    expect(answers.filter(Boolean)).toHaveLength(39);
    expect(answers.slice(40).every((a) => a === false)).toBe(true);
    // The first claim starts a statement; the burst (40 distinct) waits for it and goes together in the next.
    expect(statements).toEqual([1, 40]);
  });

  it('takes a nonce again once it expired', async () => {
    const { db } = fakeDb();
    const nonces = new NonceRegistry(db);
    expect(await nonces.claim('s', 'nonce-123', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await nonces.claim('s', 'nonce-123', 60_000)).toBe(true);
  });
});
