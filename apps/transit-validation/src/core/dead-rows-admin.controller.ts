import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController, AdminKeysetPage, keysetWindow } from '@onecard/platform';
import { DeadRows, DeadRowView } from './dead-rows';
import { ListDeadRowsQuery } from './dto/dead-rows.dto';

/** Operators see what the batched writers could not store, and why. */
@AdminController('dead-rows')
export class DeadRowsAdminController {
  constructor(private readonly deadRows: DeadRows) {}

  @Get()
  @ApiOperation({
    summary: 'Heartbeats and online checks that were answered but that Postgres refused to store, newest first, with the reason; {items, limit, next}, next the cursor of the following page',
    description: 'A batch holding such a row is split until the row is alone; the rest of the batch is stored. The row is shown as the server had it.',
  })
  list(@Query() query: ListDeadRowsQuery): Promise<AdminKeysetPage<DeadRowView>> {
    return this.deadRows.list(query.writer, keysetWindow(query));
  }
}
