import { AppError, ErrorKind } from '@onecard/kernel';

export const GROUP_COMMIT_BUSY = 'GROUP_COMMIT_BUSY';

interface Waiting<I, O> {
  item: I;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

/**
 * Writes submitted items in batches, each caller answered once its item is durable. Up to
 * `writers` batches are written at once; items arriving meanwhile gather for the next, so a lone
 * request is written at once and a busy service writes hundreds per transaction (one commit for
 * them all). A failed write fails its batch's callers (the device uploads again; the write is
 * idempotent); later batches are tried anyway. Beyond `maxPending` waiting items new ones are
 * refused (database away). Items of one batch keep their order; batches written side by side
 * commit in any order, so order holds for what one caller sends one after the other.
 */
export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private active = 0;

  constructor(
    private readonly options: {
      name: string;
      maxBatch: number;
      maxPending: number;
      /** Batches written at once (each on its own connection). */
      writers: number;
      /** One outcome per item, in order. */
      write(items: I[]): Promise<O[]>;
    },
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    if (this.queue.length >= this.options.maxPending) {
      return Promise.reject(new AppError(ErrorKind.UNAVAILABLE, GROUP_COMMIT_BUSY, `${this.options.name}: busy storing earlier uploads; upload again shortly`));
    }
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.active < this.options.writers) void this.writer();
    });
  }

  private async writer(): Promise<void> {
    this.active++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch);
        try {
          const outcomes = await this.options.write(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(outcomes[i]));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.active--;
    }
  }
}
