import type { DataSource } from 'typeorm';
import type { CardIssuanceConfig } from '../config';
import { MachineCredentials } from './machine-credentials';
import type { MachineSecrets } from './machine-secrets';

/** The machine table as the cache reads it, and every read it makes. */
function fixture(cacheMs = 5000) {
  const table = new Map<string, { project_id: string; status: number; secret_sealed: string }>();
  for (let i = 1; i <= 50; i++) table.set(`K${i}`, { project_id: 'P1', status: 1, secret_sealed: `sealed-${i}` });
  const reads: string[][] = [];
  let hold: Promise<void> | undefined;
  const db = {
    query: async (_sql: string, [names]: [string[]]) => {
      reads.push(names);
      const rows = names.filter((n) => table.has(n)).map((n) => ({ machine_no: n, ...table.get(n)! }));
      await hold;
      return rows;
    },
  } as unknown as DataSource;
  const opened: string[] = [];
  const secrets = { open: (sealed: string) => (opened.push(sealed), `secret of ${sealed}`) } as unknown as MachineSecrets;
  const credentials = new MachineCredentials(db, secrets, { MACHINE_CACHE_MS: cacheMs } as CardIssuanceConfig);
  return { table, reads, opened, credentials, holdReads: (until: Promise<void>) => (hold = until) };
}

describe('MachineCredentials', () => {
  afterEach(() => jest.useRealTimers());

  it('reads a fleet asking at once in one statement, and an unknown machine as none', async () => {
    const { reads, credentials } = fixture();
    const names = [...Array.from({ length: 50 }, (_, i) => `K${i + 1}`), 'K1', 'NOPE'];
    const got = await Promise.all(names.map((n) => credentials.get(n)));
    expect(reads).toEqual([[...Array.from({ length: 50 }, (_, i) => `K${i + 1}`), 'NOPE']]);
    expect(got[0]).toEqual({ machineNo: 'K1', projectId: 'P1', status: 1, secret: 'secret of sealed-1', sealed: 'sealed-1', loadedAt: expect.any(Number) });
    expect(got[50]).toBe(got[0]);
    expect(got[51]).toBeUndefined();
  });

  it('answers from memory, reads again in the background past half its time, and waits for a read only once it is out of date', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const { table, reads, opened, credentials } = fixture(5000);
    await credentials.get('K1');
    jest.advanceTimersByTime(2000);
    await credentials.get('K1');
    expect(reads).toHaveLength(1);

    // Past half: the cached entry answers at once (disabled meanwhile: seen by the next call).
    table.get('K1')!.status = 2;
    jest.advanceTimersByTime(1000);
    expect((await credentials.get('K1'))?.status).toBe(1);
    await new Promise((r) => setImmediate(r));
    await Promise.resolve();
    expect(reads).toHaveLength(2);
    expect((await credentials.get('K1'))?.status).toBe(2);
    // The same sealed secret is not opened again.
    expect(opened).toEqual(['sealed-1']);

    // Out of date (no call for longer than MACHINE_CACHE_MS): the call waits for the read.
    table.get('K1')!.status = 1;
    jest.advanceTimersByTime(5000);
    expect((await credentials.get('K1'))?.status).toBe(1);
    expect(reads).toHaveLength(3);
  });

  it('reads the entries in use again together, so they come due together', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const { reads, credentials } = fixture(4000);
    await credentials.get('K1');
    jest.advanceTimersByTime(1500);
    await credentials.get('K2');
    jest.advanceTimersByTime(500);
    await credentials.get('K3');
    jest.advanceTimersByTime(500);
    // K1 past half its time: it and K2 (past a quarter) are read again in one statement; K3 (0.5 s) is not due.
    await credentials.get('K1');
    await new Promise((r) => setImmediate(r));
    expect(reads).toEqual([['K1'], ['K2'], ['K3'], ['K1', 'K2']]);
  });

  it('does not keep what a read begun before forget() found', async () => {
    const { table, reads, credentials, holdReads } = fixture();
    let release!: () => void;
    holdReads(new Promise<void>((r) => (release = r)));
    const before = credentials.get('K1');
    await new Promise((r) => setImmediate(r));
    table.get('K1')!.secret_sealed = 'sealed-new';
    credentials.forget('K1');
    release();
    expect((await before)?.secret).toBe('secret of sealed-1');
    expect((await credentials.get('K1'))?.secret).toBe('secret of sealed-new');
    expect(reads).toHaveLength(2);
  });
});
