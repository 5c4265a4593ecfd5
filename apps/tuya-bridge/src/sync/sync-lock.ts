import { DataSource, QueryRunner } from 'typeorm';
import { unboundedQueryRunner } from '@onecard/platform';

/** The key of the sync lock: one per schema, so apps on different schemas of one database never meet. */
const KEY = `hashtextextended(current_schema() || ':tuya-sync', 0)`;

/**
 * A Postgres session advisory lock held on its own connection for the length of a sync, so
 * replicas never run two syncs at once. Released when the sync ends, or by Postgres when the
 * connection dies with its replica.
 */
export class SyncLock {
  private constructor(private readonly runner: QueryRunner) {}

  /** The lock, or undefined when another replica holds it and `waitMs` is 0 or runs out. */
  static async acquire(db: DataSource, waitMs: number): Promise<SyncLock | undefined> {
    // Held for the whole sync and waited for up to `waitMs`: longer than any statement bound.
    const runner = await unboundedQueryRunner(db);
    try {
      if (waitMs <= 0) {
        const [row] = await runner.query(`SELECT pg_try_advisory_lock(${KEY}) AS locked`);
        if (row.locked) return new SyncLock(runner);
      } else {
        await runner.query(`SELECT set_config('lock_timeout', $1, false)`, [`${waitMs}ms`]);
        try {
          await runner.query(`SELECT pg_advisory_lock(${KEY})`);
          return new SyncLock(runner);
        } catch (error) {
          if ((error as { code?: string }).code !== '55P03') throw error; // lock_not_available: waited long enough
        } finally {
          await runner.query(`SELECT set_config('lock_timeout', '0', false)`).catch(() => undefined);
        }
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    await runner.release();
    return undefined;
  }

  async release(): Promise<void> {
    try {
      await this.runner.query(`SELECT pg_advisory_unlock(${KEY})`);
    } finally {
      await this.runner.release();
    }
  }
}
