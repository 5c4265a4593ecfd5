import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { DeadLetters, EventReplay } from '@onecard/messaging';
import { AdminController } from '../http/controllers';
import { DeadLetterIdParams, EventListQuery } from './dto/event-list.query';

/**
 * Operators' view of the events this app's consumers gave up on (dead letters), and their replay
 * once the cause is fixed. Answers in the app's own envelope.
 */
@AdminController('events')
export class EventsAdminController {
  constructor(private readonly letters: DeadLetters, private readonly replays: EventReplay) {}

  @Get()
  list(@Query() query: EventListQuery) {
    return this.letters.list(query.status ?? 'dead', query.limit ?? 100, query.offset ?? 0);
  }

  /** Runs the handler again on the stored message: `replayed`, or still `dead` with the new error. */
  @Post(':id/replay')
  @HttpCode(200)
  replay(@Param() params: DeadLetterIdParams) {
    return this.replays.replay(params.id);
  }
}
