import { Logger } from '@nestjs/common';
import { BatchWriter, BatchWriterOptions } from './batch-writer';

/** A failure shaped like node-postgres's (TypeORM copies `code` onto QueryFailedError). */
const pgError = (code: string | undefined, message: string) => Object.assign(new Error(message), code ? { code } : {});
const BAD_JSON = () => pgError('22P02', 'invalid input syntax for type json');

describe('BatchWriter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.restoreAllMocks());

  const options = (write: (rows: number[]) => Promise<void>, extra: Partial<BatchWriterOptions<number>> = {}): BatchWriterOptions<number> => ({
    name: 'test', flushMs: 10, maxBatch: 3, maxPending: 5, write, bury: async () => undefined, ...extra,
  });
  /** Writes what it is given unless it holds a negative number, as Postgres refuses a whole statement for one bad row. */
  const refusingNegatives = (written: number[]) => async (rows: number[]) => {
    if (rows.some((r) => r < 0)) throw BAD_JSON();
    written.push(...rows);
  };

  it('answers at once and writes rows in batches of at most maxBatch, in order', async () => {
    const batches: number[][] = [];
    const writer = new BatchWriter<number>(options(async (rows) => void batches.push([...rows]), { maxPending: 100 }));
    for (let i = 1; i <= 7; i++) await writer.add(i);
    expect(batches.flat().length).toBeLessThan(7);
    await writer.drain();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
  });

  it('tells when the oldest row still waiting was queued, through partial writes and buried rows', async () => {
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const written: number[] = [];
    const writer = new BatchWriter<number>(options(refusingNegatives(written), { maxBatch: 2, flushMs: 60_000, maxPending: 10 }));
    expect(writer.oldestQueuedAt).toBeUndefined();
    for (const row of [1, -2, 3]) {
      await writer.add(row);
      now += 1_000;
    }
    // maxBatch 2: [1, -2] goes at once (1 stored, -2 buried); 3, queued at 3 s, waits for the timer.
    await new Promise((r) => setTimeout(r, 20));
    expect({ pending: writer.pending, oldest: writer.oldestQueuedAt }).toEqual({ pending: 1, oldest: 3_000 });
    await writer.flush();
    expect({ pending: writer.pending, oldest: writer.oldestQueuedAt, written }).toEqual({ pending: 0, oldest: undefined, written: [1, 3] });
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

  describe('a row Postgres refuses', () => {
    it('is split out of its batch and buried with the reason; the rest is stored, in order', async () => {
      const written: number[] = [];
      const buried: Array<[number[], string]> = [];
      const reasons: string[] = [];
      const writer = new BatchWriter<number>(options(refusingNegatives(written), {
        maxBatch: 1000, maxPending: 2000, flushMs: 5000,
        bury: async (rows, reason) => void buried.push([[...rows], reason]),
        onFailure: (reason) => reasons.push(reason),
      }));
      const rows = Array.from({ length: 1000 }, (_, i) => (i === 371 || i === 372 || i === 900 ? -i : i));
      for (const r of rows) await writer.add(r);
      await writer.flush();
      expect(written).toEqual(rows.filter((r) => r >= 0));
      expect(buried).toEqual([[[-371], '22P02: invalid input syntax for type json'], [[-372], '22P02: invalid input syntax for type json'], [[-900], '22P02: invalid input syntax for type json']]);
      expect([writer.written, writer.buried, writer.pending]).toEqual([997, 3, 0]);
      // Bisection: a few dozen statements for three bad rows in a thousand, not a thousand.
      expect(reasons.length).toBeLessThan(40);
      expect(new Set(reasons)).toEqual(new Set(['22P02']));
      expect(writer.problem()).toBeUndefined();
    });

    it('is buried even when it is the whole batch, and a constraint violation counts as one too', async () => {
      const buried: number[] = [];
      const writer = new BatchWriter<number>(options(() => Promise.reject(pgError('23514', 'violates check constraint')), { bury: async (rows) => void buried.push(...rows) }));
      await writer.add(7);
      await writer.flush();
      expect([buried, writer.pending]).toEqual([[7], 0]);
    });

    it('stays queued, not lost, while it cannot be buried either; and nothing is written twice', async () => {
      const written: number[] = [];
      let buryFails = true;
      const buried: number[] = [];
      const writer = new BatchWriter<number>(options(refusingNegatives(written), {
        maxBatch: 4, flushMs: 5000,
        bury: async (rows) => {
          if (buryFails) throw pgError('57P01', 'terminating connection due to administrator command');
          buried.push(...rows);
        },
      }));
      for (const r of [1, 2, -3, 4]) await writer.add(r);
      await expect(writer.flush()).rejects.toThrow('terminating connection');
      // [1, 2] were stored before the bad row was reached; they leave the queue, the rest waits.
      expect([written, writer.pending]).toEqual([[1, 2], 2]);
      buryFails = false;
      await writer.flush();
      expect([written, buried, writer.pending]).toEqual([[1, 2, 4], [-3], 0]);
    });
  });

  describe('a database that refuses everything', () => {
    it('splits nothing, keeps every row, and says why once writes keep failing; recovers by itself', async () => {
      let away = true;
      const written: number[] = [];
      const reasons: string[] = [];
      const writer = new BatchWriter<number>(options(async (rows) => {
        if (away) throw pgError('42P01', 'relation "location_report" does not exist');
        written.push(...rows);
      }, { flushMs: 5000, onFailure: (reason) => reasons.push(reason), bury: () => Promise.reject(new Error('must not bury')) }));
      for (const r of [1, 2, 3]) await writer.add(r);
      await expect(writer.flush()).rejects.toThrow();
      expect(writer.problem()).toBeUndefined();
      await expect(writer.flush()).rejects.toThrow();
      await expect(writer.flush()).rejects.toThrow();
      expect(writer.problem()).toBe('3 writes in a row failed (last: 42P01: relation "location_report" does not exist); 3 rows waiting');
      expect(reasons).toEqual(['42P01', '42P01', '42P01']);
      away = false;
      await writer.flush();
      expect([written, writer.problem()]).toEqual([[1, 2, 3], undefined]);
    });

    it('logs what it could not write at shutdown as lost, with the count', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const writer = new BatchWriter<number>(options(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })), { flushMs: 5000 }));
      for (const r of [1, 2, 3, 4]) await writer.add(r);
      await writer.drain();
      expect(writer.pending).toBe(4);
      expect(errors).toHaveBeenCalledWith('4 accepted rows LOST: they could not be written before shutdown (last failure: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432)');
    });
  });
});
