import type { DataSource, EntityManager } from 'typeorm';
import type { Outbox } from '@onecard/messaging';
import type { CardIssuanceConfig } from '../config';
import { KioskPresence } from './kiosk-presence';

const turn = () => new Promise((r) => setImmediate(r));

/** Machines as the locking SELECT finds them: online as published, last seen (ms) or null. */
type Row = { online: boolean; lastSeen: number | null };

function fixture(rows: Record<string, Row> = {}) {
  const writes: Array<[string[], number[]]> = [];
  const published: unknown[] = [];
  let failing = false;
  const manager = {
    query: async (sql: string, params: [string[], number[]]) => {
      if (failing) throw new Error('database: cannot connect');
      if (sql.startsWith('SELECT')) {
        return params[0]
          .filter((n) => n in rows)
          .map((n) => ({ machine_no: n, project_id: 'P1', online: rows[n].online, last_seen_at: rows[n].lastSeen === null ? null : new Date(rows[n].lastSeen!) }));
      }
      writes.push(params);
      return [[], 0];
    },
  } as unknown as EntityManager;
  const db = { transaction: async <T>(work: (m: EntityManager) => Promise<T>) => work(manager) } as unknown as DataSource;
  const outbox = { addMany: async (_m: EntityManager, _subject: string, events: unknown[]) => published.push(...events) } as unknown as Outbox;
  const presence = new KioskPresence(db, { KIOSK_OFFLINE_AFTER_S: 300 } as CardIssuanceConfig, outbox);
  return { writes, published, presence, fail: (on: boolean) => (failing = on) };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('KioskPresence', () => {
  it('writes a fleet seen in the same turn in one statement, each kiosk at most every tenth of KIOSK_OFFLINE_AFTER_S', async () => {
    const { writes, presence } = fixture();
    const names = Array.from({ length: 50 }, (_, i) => `K${i + 1}`);
    for (const n of names) presence.seen(n, 1_000_000);
    presence.seen('K1', 1_000_100);
    await turn();
    // In key order, so concurrent writes lock alike.
    const sorted = [...names].sort();
    expect(writes).toEqual([[sorted, sorted.map(() => 1_000_000)]]);

    presence.seen('K1', 1_029_999);
    presence.seen('K2', 1_030_000);
    await turn();
    expect(writes.slice(1)).toEqual([[['K2'], [1_030_000]]]);
  });

  it('tries again on the next call when the write failed', async () => {
    const { writes, presence, fail } = fixture();
    fail(true);
    presence.seen('K1', 1_000_000);
    await turn();
    await turn();
    fail(false);
    presence.seen('K1', 1_000_500);
    await turn();
    expect(writes).toEqual([[['K1'], [1_000_500]]]);
  });

  it('publishes online for a kiosk offline or never heard from, offline then online for one silent past the window that no sweep saw, nothing otherwise', async () => {
    const t = 10_000_000;
    const { published, presence } = fixture({
      NEW: { online: false, lastSeen: null },
      BACK: { online: false, lastSeen: t - 900_000 },
      STEADY: { online: true, lastSeen: t - 299_999 },
      LAPSED: { online: true, lastSeen: t - 300_000 },
      // Another replica recorded a later sighting first: this one is old news.
      STALE: { online: false, lastSeen: t + 1 },
    });
    for (const n of ['NEW', 'BACK', 'STEADY', 'LAPSED', 'STALE']) presence.seen(n, t);
    await presence.flush();
    const online = (machineNo: string) => ({ machineNo, projectId: 'P1', status: 'online', at: iso(t) });
    expect(published).toEqual([
      online('BACK'),
      { machineNo: 'LAPSED', projectId: 'P1', status: 'offline', at: iso(t) },
      online('LAPSED'),
      online('NEW'),
    ]);
  });
});
