import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { AppError } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { TuyaBridgeConfig } from '../config';
import { TuyaNotConfigured } from '../tuya-api/tuya-api.errors';
import { TuyaClient } from '../tuya-api/tuya-client';
import { PersonnelRepository } from './personnel-repository';
import { PulledProject } from './personnel-records';
import { diffProject } from './sync-diff';
import { SyncLock } from './sync-lock';
import { SyncCounts, SyncRun, SyncRuns, SyncTrigger } from './sync-runs';
import { SyncStatus } from './sync-status';
import { SyncBusy, SyncFailed } from './sync.errors';
import { TuyaPuller } from './tuya-puller';

/** How long an operator's sync waits for another replica's to finish before answering "busy". */
const OPERATOR_LOCK_WAIT_MS = 5 * 60_000;

/**
 * One sync: pull every configured project from Tuya, then, in ONE transaction, store what
 * changed and record a card.changed per changed card in the outbox, so events and the stored
 * copy commit together. Anything failing before the commit leaves the last good copy as it was;
 * the run is recorded as failed with its reason, and the next one starts over.
 *
 * Runs never overlap: within a replica an operator's request waits for the running sync and then
 * runs (requests arriving meanwhile share that next run); across replicas a Postgres advisory
 * lock serialises them (a scheduled run finding it taken is skipped).
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger('tuya-sync');
  private current: Promise<SyncRun | undefined> | undefined;
  private next: Promise<SyncRun | undefined> | undefined;

  constructor(
    private readonly config: TuyaBridgeConfig,
    private readonly db: DataSource,
    private readonly tuya: TuyaClient,
    private readonly puller: TuyaPuller,
    private readonly repository: PersonnelRepository,
    private readonly outbox: Outbox,
    private readonly runs: SyncRuns,
    private readonly status: SyncStatus,
  ) {}

  /** An operator's sync: answers once it has finished (the run) or failed (throws SyncFailed). */
  async requestSync(): Promise<SyncRun> {
    if (!this.tuya.configured) throw new TuyaNotConfigured();
    let run: Promise<SyncRun | undefined>;
    if (!this.current) run = this.start('operator');
    else {
      this.next ??= this.current.catch(() => undefined).then(() => {
        this.next = undefined;
        return this.start('operator');
      });
      run = this.next;
    }
    const result = await run;
    if (!result) throw new SyncBusy(OPERATOR_LOCK_WAIT_MS);
    return result;
  }

  /** The scheduler's sync: skipped when one is running here or on another replica, or ran recently. */
  async scheduledSync(minIntervalMs: number): Promise<SyncRun | undefined> {
    if (!this.tuya.configured || this.current) return undefined;
    return this.start('schedule', minIntervalMs).catch(() => undefined); // recorded and logged; the next tick retries
  }

  private start(trigger: SyncTrigger, minIntervalMs = 0): Promise<SyncRun | undefined> {
    const run = this.exclusive(trigger, minIntervalMs).finally(() => {
      if (this.current === run) this.current = undefined;
    });
    this.current = run;
    return run;
  }

  private async exclusive(trigger: SyncTrigger, minIntervalMs: number): Promise<SyncRun | undefined> {
    const lock = await SyncLock.acquire(this.db, trigger === 'operator' ? OPERATOR_LOCK_WAIT_MS : 0);
    if (!lock) return undefined;
    try {
      if (trigger === 'schedule') {
        const last = await this.runs.lastStartedAt();
        if (last !== undefined && Date.now() - last < minIntervalMs) return undefined;
      }
      await this.runs.closeAbandoned();
      return await this.sync(trigger);
    } finally {
      await lock.release();
    }
  }

  private async sync(trigger: SyncTrigger): Promise<SyncRun> {
    const id = await this.runs.start(trigger);
    this.status.started(id);
    const counter = { requests: 0 };
    this.logger.log(`sync ${id} (${trigger}) started`);
    try {
      const pulled: PulledProject[] = [];
      for (const projectId of this.config.tuyaProjectIds) {
        pulled.push(await this.puller.pull(projectId, await this.repository.personIds(this.db.manager, projectId), counter));
      }
      const run = await this.db.transaction(async (manager) => {
        const counts: SyncCounts = { persons: 0, cards: 0, created: 0, updated: 0, deleted: 0, requests: counter.requests };
        for (const project of pulled) {
          const changes = diffProject(await this.repository.load(manager, project.projectId), project);
          await this.repository.apply(manager, project.projectId, changes);
          await this.outbox.addMany(manager, Events.TuyaCardChanged, changes.events);
          counts.persons += project.persons.length + project.keptPersonIds.length;
          counts.cards += project.cards.length;
          for (const event of changes.events) counts[event.change]++;
        }
        return this.runs.succeeded(manager, id, counts);
      });
      this.status.finished(run);
      this.logger.log(`sync ${id} succeeded: ${run.persons} persons, ${run.cards} cards, ${run.created} created, ${run.updated} updated, ${run.deleted} deleted, ${run.requests} calls`);
      return run;
    } catch (error) {
      const reason = error instanceof AppError ? error.message : `storing failed: ${(error as Error).message}`;
      const run = await this.runs.failed(id, reason, counter.requests).catch(() => undefined);
      this.status.failed(id, reason, run?.finishedAt ?? new Date().toISOString());
      const calls = `${counter.requests} call${counter.requests === 1 ? '' : 's'}`;
      this.logger.warn(`sync ${id} failed after ${calls}: ${reason}`);
      throw new SyncFailed(`sync ${id} failed after ${calls} to Tuya; the last good copy stays: ${reason}`);
    }
  }
}
