import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { DeadLetters, DeadLetterView, EventReplay } from '@onecard/messaging';
import { AdminController } from '../http/controllers';
import { AdminPage, adminPage, pageWindow } from './admin-page';
import { DeadLetterIdParams, EventListQuery } from './dto/event-list.query';

/**
 * Operators' view of the events this app's consumers gave up on (dead letters), and their replay
 * once the cause is fixed. Answers in the app's own envelope.
 */
@AdminController('events')
export class EventsAdminController {
  constructor(private readonly letters: DeadLetters, private readonly replays: EventReplay) {}

  @Get()
  async list(@Query() query: EventListQuery): Promise<AdminPage<DeadLetterView>> {
    const window = pageWindow(query);
    const filter = { status: query.status ?? 'dead', subject: query.subject, consumer: query.consumer, since: query.since ? new Date(query.since) : undefined };
    const { total, items } = await this.letters.list(filter, window.limit, window.offset);
    return adminPage(window, total, items);
  }

  /** Runs the handler again on the stored message: `replayed`, or still `dead` with the new error. */
  @Post(':id/replay')
  @HttpCode(200)
  replay(@Param() params: DeadLetterIdParams) {
    return this.replays.replay(params.id);
  }
}
