import { Get, Query } from '@nestjs/common';
import { AdminController } from '../http/controllers';
import { AdminPage, adminPage, pageWindow } from './admin-page';
import { OutboxListQuery } from './dto/outbox-list.query';
import { PendingOutbox, PendingOutboxRow } from './pending-outbox';

/**
 * Operators' view of the outbox: the rows waiting to be published, oldest first, each with its
 * attempts and why the last publish failed. How many events wait in all: `outbox` on /admin/backlog.
 */
@AdminController('outbox')
export class OutboxAdminController {
  constructor(private readonly outbox: PendingOutbox) {}

  @Get()
  async list(@Query() query: OutboxListQuery): Promise<AdminPage<PendingOutboxRow>> {
    const window = pageWindow(query);
    const { total, items } = await this.outbox.list(query.subject, window);
    return adminPage(window, total, items);
  }
}
