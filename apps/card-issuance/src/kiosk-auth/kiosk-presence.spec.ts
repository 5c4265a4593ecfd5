import type { DataSource } from 'typeorm';
import type { CardIssuanceConfig } from '../config';
import { KioskPresence } from './kiosk-presence';

const turn = () => new Promise((r) => setImmediate(r));

function fixture() {
  const writes: Array<[string[], number[]]> = [];
  let failing = false;
  const db = {
    query: async (_sql: string, params: [string[], number[]]) => {
      if (failing) throw new Error('database: cannot connect');
      writes.push(params);
    },
  } as unknown as DataSource;
  const presence = new KioskPresence(db, { KIOSK_OFFLINE_AFTER_S: 300 } as CardIssuanceConfig);
  return { writes, presence, fail: (on: boolean) => (failing = on) };
}

describe('KioskPresence', () => {
  it('writes a fleet seen in the same turn in one statement, each kiosk at most every tenth of KIOSK_OFFLINE_AFTER_S', async () => {
    const { writes, presence } = fixture();
    const names = Array.from({ length: 50 }, (_, i) => `K${i + 1}`);
    for (const n of names) presence.seen(n, 1_000_000);
    presence.seen('K1', 1_000_100);
    await turn();
    expect(writes).toEqual([[names, names.map(() => 1_000_000)]]);

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
});
