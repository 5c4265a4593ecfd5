import { AppError, ErrorKind, isDatabaseUnavailable } from '@onecard/kernel';

export const GROUP_COMMIT_BUSY = 'GROUP_COMMIT_BUSY';

interface Waiting<I, O> {
  item: I;
  /** When it was submitted (ms), for the age of the oldest waiting. */
  at: number;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<I, O> {
  /** Names the writer in the busy refusal. */
  name: string;
  maxBatch: number;
  maxPending: number;
  /** Batches written at once (each on its own connection). */
  writers: number;
  /** One outcome per item, in order. */
  write(items: I[]): Promise<O[]>;
  /** What a caller refused beyond `maxPending` is told after the name (default: upload again shortly). */
  busyMessage?: string;
}

/**
 * Writes submitted items in batches, each caller answered once its item is durable. Up to
 * `writers` batches are written at once; items arriving meanwhile gather for the next, so a lone
 * request is written at once and a busy service writes hundreds per transaction (one commit, one
 * WAL flush, for them all). A failed write fails its batch's callers (unless `write` answers each
 * item itself); later batches are tried anyway. Beyond `maxPending` waiting items new ones are
 * refused (database away). Items of one batch keep their order; batches written side by side
 * commit in any order, so order holds for what one caller sends one after the other.
 */
export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private active = 0;

  constructor(private readonly options: GroupCommitOptions<I, O>) {}

  get pending(): number {
    return this.queue.length;
  }

  /** When the oldest item still waiting for its batch was submitted (ms), if any waits. */
  get oldestQueuedAt(): number | undefined {
    return this.queue[0]?.at;
  }

  submit(item: I): Promise<O> {
    if (this.queue.length >= this.options.maxPending) {
      const busy = this.options.busyMessage ?? 'busy storing earlier uploads; upload again shortly';
      return Promise.reject(new AppError(ErrorKind.UNAVAILABLE, GROUP_COMMIT_BUSY, `${this.options.name}: ${busy}`));
    }
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, at: Date.now(), resolve, reject });
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
          // Database away: what queued behind this batch would wait out the same outage one
          // statement timeout after another, so it fails with it (callers retry; writes are idempotent).
          const failed = isDatabaseUnavailable(error) ? [...batch, ...this.queue.splice(0)] : batch;
          for (const w of failed) w.reject(error);
        }
      }
    } finally {
      this.active--;
    }
  }
}
