import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes a lone item at once and gathers the ones arriving meanwhile into the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const writer = new GroupCommit<number, string>({
      name: 't', maxBatch: 10, maxPending: 100, writers: 1,
      write: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map((i) => `ok ${i}`);
      },
    });
    const first = writer.submit(1);
    const rest = [2, 3, 4].map((i) => writer.submit(i));
    release();
    expect(await Promise.all([first, ...rest])).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a batch at maxBatch, in order', async () => {
    const batches: number[][] = [];
    const writer = new GroupCommit<number, number>({ name: 't', maxBatch: 2, maxPending: 100, writers: 1, write: async (items) => (batches.push(items), items) });
    await Promise.all([1, 2, 3, 4, 5].map((i) => writer.submit(i)));
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails what queued behind a batch with it when the database is away, and reports the oldest waiting', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const writer = new GroupCommit<number, number>({
      name: 't', maxBatch: 1, maxPending: 100, writers: 1,
      write: async (items) => {
        batches.push(items);
        await gate;
        throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      },
    });
    const before = Date.now();
    const outcomes = Promise.allSettled([1, 2, 3].map((i) => writer.submit(i)));
    expect(writer.pending).toBe(2);
    expect(writer.oldestQueuedAt).toBeGreaterThanOrEqual(before);
    release();
    expect((await outcomes).map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // One statement timeout for all three, not one after another.
    expect(batches).toEqual([[1]]);
    expect(writer.oldestQueuedAt).toBeUndefined();
  });

  it('fails only the callers of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const writer = new GroupCommit<number, number>({
      name: 't', maxBatch: 10, maxPending: 100, writers: 1,
      write: async (items) => {
        calls++;
        if (calls === 1) throw new Error('database away');
        return items;
      },
    });
    const failed = writer.submit(1);
    const later = writer.submit(2);
    await expect(failed).rejects.toThrow('database away');
    await expect(later).resolves.toBe(2);
  });

  it('refuses beyond maxPending, saying so', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const writer = new GroupCommit<number, number>({ name: 'records', maxBatch: 1, maxPending: 2, writers: 1, write: async (items) => (await gate, items) });
    const inFlight = writer.submit(1);
    const queued = [writer.submit(2), writer.submit(3)];
    await expect(writer.submit(4)).rejects.toMatchObject({ kind: 'UNAVAILABLE', message: 'records: busy storing earlier uploads; upload again shortly' });
    release();
    await Promise.all([inFlight, ...queued]);
  });

  it('says what the caller should do when busy, if told', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const writer = new GroupCommit<number, number>({ name: 'payment notifications', busyMessage: 'busy; notify again shortly', maxBatch: 1, maxPending: 1, writers: 1, write: async (items) => (await gate, items) });
    const inFlight = writer.submit(1);
    const queued = writer.submit(2);
    await expect(writer.submit(3)).rejects.toMatchObject({ kind: 'UNAVAILABLE', message: 'payment notifications: busy; notify again shortly' });
    release();
    await Promise.all([inFlight, queued]);
  });

  it('writes up to `writers` batches at once, the rest gathering meanwhile', async () => {
    const batches: number[][] = [];
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const writer = new GroupCommit<number, number>({
      name: 't', maxBatch: 10, maxPending: 100, writers: 2,
      write: async (items) => {
        batches.push(items);
        most = Math.max(most, ++running);
        await new Promise<void>((r) => gates.push(r));
        running--;
        return items;
      },
    });
    const all = [1, 2, 3, 4, 5].map((i) => writer.submit(i));
    await new Promise((r) => setTimeout(r, 10));
    expect(batches).toEqual([[1], [2]]);
    while (gates.length > 0 || batches.length < 3) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1], [2], [3, 4, 5]]);
    expect(most).toBe(2);
  });
});
