import type { DataSource, EntityManager } from 'typeorm';
import { PresenceSweep } from './presence-sweep';

/** A database whose UPDATE hands out `silent` devices `$1` at a time; records what each transaction did. */
function fixture(silent: number, options: { failAt?: number } = {}) {
  let left = silent;
  const transactions: Array<{ params: unknown[]; published: string[] }> = [];
  let committed = 0;
  const db = {
    transaction: async <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => {
      const tx = { params: [] as unknown[], published: [] as string[] };
      transactions.push(tx);
      const manager = {
        query: async (_sql: string, params: unknown[]) => {
          if (transactions.length === options.failAt) throw new Error('database: cannot connect');
          tx.params = params;
          const n = Math.min(left, params[0] as number);
          left -= n;
          return [Array.from({ length: n }, (_, i) => ({ key: `D${silent - left - n + i}` })), n];
        },
      } as unknown as EntityManager;
      const result = await work(manager);
      committed++;
      return result;
    },
  } as unknown as DataSource;
  const sweep = new PresenceSweep<{ key: string }>(db, {
    name: 'test-sweep',
    everyMs: 60_000,
    batch: 2,
    markOffline: 'UPDATE …',
    params: () => [120],
    publish: async (_m, rows) => transactions[transactions.length - 1].published.push(...rows.map((r) => r.key)),
  });
  return { sweep, transactions, committed: () => committed };
}

describe('PresenceSweep', () => {
  it('marks in batches of `batch` ($1, the app’s parameters after it), publishing each batch in its transaction, until a batch comes short', async () => {
    const { sweep, transactions } = fixture(5);
    expect(await sweep.sweep()).toBe(5);
    expect(transactions).toEqual([
      { params: [2, 120], published: ['D0', 'D1'] },
      { params: [2, 120], published: ['D2', 'D3'] },
      { params: [2, 120], published: ['D4'] },
    ]);
  });

  it('publishes nothing when nothing is due, and runs once at a time in a replica', async () => {
    const { sweep, transactions } = fixture(0);
    const [a, b] = [sweep.sweep(), sweep.sweep()];
    expect(a).toBe(b);
    expect(await a).toBe(0);
    expect(transactions).toEqual([{ params: [2, 120], published: [] }]);
  });

  it('stops at a failure, answering what it marked before it (the next sweep tries again)', async () => {
    const { sweep, transactions, committed } = fixture(5, { failAt: 2 });
    expect(await sweep.sweep()).toBe(2);
    expect(committed()).toBe(1);
    expect(transactions.map((t) => t.published)).toEqual([['D0', 'D1'], []]);
    expect(await sweep.sweep()).toBe(3);
  });

  it('sweeps every `everyMs` once started, and not after shutdown', async () => {
    jest.useFakeTimers();
    try {
      const { sweep, transactions } = fixture(1);
      sweep.onModuleInit();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(transactions).toHaveLength(1);
      await sweep.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(180_000);
      expect(transactions).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
