import { Logger } from '@nestjs/common';
import { BatchWriter } from './batch-writer';

describe('BatchWriter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const options = (write: (rows: number[]) => Promise<void>, extra: Partial<{ maxBatch: number; maxPending: number; flushMs: number }> = {}) => ({
    name: 'test', flushMs: 10, maxBatch: 3, maxPending: 5, write, ...extra,
  });

  it('answers at once and writes rows in batches of at most maxBatch, in order', async () => {
    const batches: number[][] = [];
    const writer = new BatchWriter<number>(options(async (rows) => void batches.push([...rows]), { maxPending: 100 }));
    for (let i = 1; i <= 7; i++) await writer.add(i);
    expect(batches.flat().length).toBeLessThan(7);
    await writer.drain();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
  });

  it('keeps rows through a failed write and retries them', async () => {
    let fail = true;
    const written: number[] = [];
    const writer = new BatchWriter<number>(options(async (rows) => {
      if (fail) throw new Error('database away');
      written.push(...rows);
    }));
    await writer.add(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(writer.pending).toBe(1);
    fail = false;
    await new Promise((r) => setTimeout(r, 400));
    expect(written).toEqual([1]);
    await writer.drain();
  });

  it('refuses new rows rather than dropping them when the queue is full', async () => {
    const writer = new BatchWriter<number>(options(() => Promise.reject(new Error('database away')), { flushMs: 5000, maxBatch: 100 }));
    for (let i = 0; i < 5; i++) await writer.add(i);
    await expect(writer.add(6)).rejects.toThrow('busy');
    expect(writer.pending).toBe(5);
  });

  it('writes before answering once draining', async () => {
    const written: number[] = [];
    const writer = new BatchWriter<number>(options(async (rows) => void written.push(...rows), { flushMs: 5000 }));
    await writer.add(1);
    await writer.drain();
    await writer.add(2);
    expect(written).toEqual([1, 2]);
  });
});
