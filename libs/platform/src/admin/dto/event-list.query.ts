import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { IntParam, toInt } from '@onecard/kernel';
import type { DeadLetterStatus } from '@onecard/messaging';

/** `GET /admin/events?status=dead|replayed&limit=&offset=`, newest first; `dead` when no status is given. */
export class EventListQuery {
  @IsOptional() @IsIn(['dead', 'replayed'], { message: 'status must be dead or replayed' })
  status?: DeadLetterStatus;

  @IsOptional() @IntParam('limit', { min: 1, max: 500 })
  limit?: number;

  @IsOptional() @IntParam('offset', { min: 0 })
  offset?: number;
}

export class DeadLetterIdParams {
  @Transform(toInt) @IsInt({ message: 'id must be a dead letter id (an integer)' }) @Min(1, { message: 'id must be a dead letter id (an integer)' })
  id!: number;
}
