import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { EventMessage, Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { AdminController, AdminPageQuery, pageWindow } from '@onecard/platform';
import { CardIssuedConsumer } from './card-issued';
import { CardIssueStatus, UnmatchedCardIssues } from './unmatched-card-issues';

class CardIssueListQuery extends AdminPageQuery {
  @IsOptional() @IsIn(['open', 'resolved', 'all'], { message: 'status must be open, resolved or all' })
  status?: CardIssueStatus;
}

enum CardIssueErrorCode {
  NOT_FOUND = 'CARD_ISSUE_NOT_FOUND',
  STILL_UNMATCHED = 'CARD_ISSUE_STILL_UNMATCHED',
}

/** Operators: card.issued events that could not be applied, and applying them once the cause is fixed. */
@AdminController('card-issues')
export class CardIssuesAdminController {
  constructor(
    private readonly db: DataSource,
    private readonly consumer: CardIssuedConsumer,
    private readonly issues: UnmatchedCardIssues,
  ) {}

  /** Newest first; `open` (the default) until retried or dismissed. */
  @Get()
  list(@Query() query: CardIssueListQuery) {
    return this.issues.list(query.status ?? 'open', pageWindow(query));
  }

  /** Applies the kept event again (e.g. after the user was created); still failing answers why. */
  @Post(':eventId/retry')
  @HttpCode(200)
  async retry(@Param('eventId') eventId: string) {
    const problem = await this.db.transaction(async (m) => {
      const [row] = await m.query(`SELECT event FROM unmatched_card_issue WHERE event_id::text = $1 AND resolved_at IS NULL FOR UPDATE`, [eventId]);
      if (!row) throw new AppError(ErrorKind.NOT_FOUND, CardIssueErrorCode.NOT_FOUND, `eventId: no open card issue ${eventId}`, 'eventId');
      const reason = await this.consumer.apply(m, row.event as EventMessage<typeof Events.CardIssued>);
      if (reason) await m.query(`UPDATE unmatched_card_issue SET reason = $2 WHERE event_id::text = $1`, [eventId, reason]);
      else await m.query(`UPDATE unmatched_card_issue SET resolved_at = now(), resolution = 'applied' WHERE event_id::text = $1`, [eventId]);
      return reason;
    });
    if (problem) throw new AppError(ErrorKind.CONFLICT, CardIssueErrorCode.STILL_UNMATCHED, `eventId: still cannot be applied: ${problem}`, 'eventId');
    return { eventId, resolution: 'applied' };
  }

  /** Closes it without applying (an operator handled the card another way). */
  @Post(':eventId/dismiss')
  @HttpCode(200)
  async dismiss(@Param('eventId') eventId: string) {
    const [, count] = await this.db.query(`UPDATE unmatched_card_issue SET resolved_at = now(), resolution = 'dismissed' WHERE event_id::text = $1 AND resolved_at IS NULL`, [eventId]);
    if (count === 0) throw new AppError(ErrorKind.NOT_FOUND, CardIssueErrorCode.NOT_FOUND, `eventId: no open card issue ${eventId}`, 'eventId');
    return { eventId, resolution: 'dismissed' };
  }
}
