import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { adminPage, AdminPage, PageWindow } from '@onecard/platform';

export type SyncTrigger = 'schedule' | 'operator';

/** A sync as recorded in sync_run (and answered by POST /admin/sync). */
export interface SyncRun {
  syncId: number;
  trigger: SyncTrigger;
  outcome: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Persons and cards Tuya holds for the configured projects (after a success). */
  persons: number | null;
  cards: number | null;
  /** card.changed events by change. */
  created: number | null;
  updated: number | null;
  deleted: number | null;
  /** Calls made to Tuya (retries of one call not counted). */
  requests: number | null;
  error: string | null;
}

export interface SyncCounts {
  persons: number;
  cards: number;
  created: number;
  updated: number;
  deleted: number;
  requests: number;
}

const COLUMNS = `id::int AS "syncId", trigger, outcome, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "finishedAt", persons, cards, created, updated, deleted, requests, error`;

/** TypeORM answers an UPDATE … RETURNING with [rows, affected count]. */
function updatedRow(result: unknown): SyncRun {
  return (result as [SyncRun[], number])[0][0];
}

/** The sync history every replica reads (for /health and the scheduler) and the syncing one writes. */
@Injectable()
export class SyncRuns {
  constructor(private readonly db: DataSource) {}

  /** Rows left `running` by a replica that stopped mid-sync (whoever holds the lock now knows none is running). */
  async closeAbandoned(): Promise<void> {
    await this.db.query(`UPDATE sync_run SET outcome = 'failed', finished_at = now(), error = 'abandoned: the replica running it stopped' WHERE outcome = 'running'`);
  }

  async start(trigger: SyncTrigger): Promise<number> {
    const [row] = await this.db.query(`INSERT INTO sync_run (trigger) VALUES ($1) RETURNING id::int AS id`, [trigger]);
    return row.id as number;
  }

  /** Recorded in the transaction that stores the sync's changes, so the row says succeeded only if they committed. */
  async succeeded(manager: EntityManager, id: number, counts: SyncCounts): Promise<SyncRun> {
    const result = await manager.query(
      `UPDATE sync_run SET outcome = 'succeeded', finished_at = now(), persons = $2, cards = $3, created = $4, updated = $5, deleted = $6, requests = $7
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, counts.persons, counts.cards, counts.created, counts.updated, counts.deleted, counts.requests],
    );
    return updatedRow(result);
  }

  async failed(id: number, error: string, requests: number): Promise<SyncRun> {
    const result = await this.db.query(`UPDATE sync_run SET outcome = 'failed', finished_at = now(), error = $2, requests = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [
      id,
      error.slice(0, 2000),
      requests,
    ]);
    return updatedRow(result);
  }

  /** Newest first. */
  async list(window: PageWindow): Promise<AdminPage<SyncRun>> {
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM sync_run`);
    const runs: SyncRun[] = await this.db.query(`SELECT ${COLUMNS} FROM sync_run ORDER BY id DESC LIMIT $1 OFFSET $2`, [window.limit, window.offset]);
    return adminPage(window, total, runs);
  }

  /** The latest success, the latest finished run, and a run in progress, for /health. */
  async latest(): Promise<{ lastGood?: SyncRun; lastFinished?: SyncRun; running?: SyncRun }> {
    const [lastGood] = await this.db.query(`SELECT ${COLUMNS} FROM sync_run WHERE outcome = 'succeeded' ORDER BY finished_at DESC LIMIT 1`);
    const [lastFinished] = await this.db.query(`SELECT ${COLUMNS} FROM sync_run WHERE outcome <> 'running' ORDER BY finished_at DESC LIMIT 1`);
    const [running] = await this.db.query(`SELECT ${COLUMNS} FROM sync_run WHERE outcome = 'running' ORDER BY id DESC LIMIT 1`);
    return { lastGood, lastFinished, running };
  }

  /** When the latest run that was not abandoned started, by any replica (the scheduler's "is one due?"). */
  async lastStartedAt(): Promise<number | undefined> {
    const [row] = await this.db.query(`SELECT (extract(epoch FROM max(started_at)) * 1000)::float8 AS at FROM sync_run`);
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }
}
