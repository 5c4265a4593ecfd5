import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { toInt } from '@onecard/kernel';
import type { DeadLetterStatus } from '@onecard/messaging';

/** `GET /admin/events?status=dead|replayed&limit=&offset=`, newest first; `dead` when no status is given. */
export class EventListQuery {
  @IsOptional() @IsIn(['dead', 'replayed'], { message: 'status must be dead or replayed' })
  status?: DeadLetterStatus;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(500, { message: 'limit must be at most 500' })
  limit?: number;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'offset must be an integer' }) @Min(0)
  offset?: number;
}

export class DeadLetterIdParams {
  @Transform(toInt) @IsInt({ message: 'id must be a dead letter id (an integer)' }) @Min(1, { message: 'id must be a dead letter id (an integer)' })
  id!: number;
}
