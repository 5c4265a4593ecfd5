import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Min } from 'class-validator';
import { toInt } from '@onecard/kernel';
import type { DeadLetterStatus } from '@onecard/messaging';
import { AdminPageQuery } from '../admin-page';

/** An ISO 8601 time with its zone (`Z` or `+08:00`): without one, whose clock it was would be a guess. */
const WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `GET /admin/events?status=&subject=&consumer=&since=&limit=&offset=`, newest first; `dead` when
 * no status is given. subject and consumer are exact; `since`: letters that died at or after it.
 */
export class EventListQuery extends AdminPageQuery {
  @IsOptional() @IsIn(['dead', 'replayed'], { message: 'status must be dead or replayed' })
  status?: DeadLetterStatus;

  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,255}$/, { message: 'subject must be an event subject such as onecard.card-issuance.card.issued' })
  subject?: string;

  @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,255}$/, { message: 'consumer must be a consumer name such as campus-card__onecard_card-issuance_card_issued' })
  consumer?: string;

  @IsOptional()
  @Matches(WITH_ZONE, { message: 'since must be an ISO 8601 time with its zone, such as 2026-12-01T08:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time with its zone, such as 2026-12-01T08:00:00Z' })
  since?: string;
}

export class DeadLetterIdParams {
  @Transform(toInt) @IsInt({ message: 'id must be a dead letter id (an integer)' }) @Min(1, { message: 'id must be a dead letter id (an integer)' })
  id!: number;
}
