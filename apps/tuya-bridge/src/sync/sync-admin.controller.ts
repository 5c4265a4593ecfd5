import { Get, Post, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AdminController } from '@onecard/platform';
import { SyncRuns } from './sync-runs';
import { SyncStatus } from './sync-status';
import { SyncService } from './sync.service';

class RecentSyncsQuery {
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value)) @IsInt() @Min(1) @Max(500)
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
