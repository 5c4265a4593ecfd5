import { Get, Post, Query } from '@nestjs/common';
import { AdminController, AdminPage, AdminPageQuery, pageWindow } from '@onecard/platform';
import { SyncRun, SyncRuns } from './sync-runs';
import { SyncService } from './sync.service';

/** Operators: sync now, and what the syncs did. */
@AdminController('sync')
export class SyncAdminController {
  constructor(
    private readonly sync: SyncService,
    private readonly runs: SyncRuns,
  ) {}

  /**
   * Syncs now and answers when the sync has finished (`result`: the run with its counts) or
   * failed (`success: false`, the reason). Waits for a sync already running to end first.
   */
  @Post()
  run() {
    return this.sync.requestSync();
  }

  /**
   * The runs, newest first. Whether the copy served is fresh is `tuya_sync` on /admin/backlog
   * (and /health), not repeated here: a list answers one shape.
   */
  @Get()
  history(@Query() query: AdminPageQuery): Promise<AdminPage<SyncRun>> {
    return this.runs.list(pageWindow(query));
  }
}
