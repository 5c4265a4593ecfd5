import { Get, Post, Query } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import { IntParam } from '@onecard/kernel';
import { AdminController } from '@onecard/platform';
import { SyncRuns } from './sync-runs';
import { SyncStatus } from './sync-status';
import { SyncService } from './sync.service';

class RecentSyncsQuery {
  @IsOptional() @IntParam('limit', { min: 1, max: 500 })
  limit?: number;
}

/** Operators: sync now, and what the syncs did. */
@AdminController('sync')
export class SyncAdminController {
  constructor(
    private readonly sync: SyncService,
    private readonly runs: SyncRuns,
    private readonly status: SyncStatus,
  ) {}

  /**
   * Syncs now and answers when the sync has finished (`result`: the run with its counts) or
   * failed (`success: false`, the reason). Waits for a sync already running to end first.
   */
  @Post()
  run() {
    return this.sync.requestSync();
  }

  /** The health view of the sync and the latest runs, newest first. */
  @Get()
  async history(@Query() query: RecentSyncsQuery) {
    return { health: this.status.indicator().detail, runs: await this.runs.recent(query.limit ?? 20) };
  }
}
