import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { AdminKeysetQuery } from '@onecard/platform';

/** `GET /admin/dead-rows?writer=&limit=&cursor=`, newest first. */
export class ListDeadRowsQuery extends AdminKeysetQuery {
  @ApiPropertyOptional({ description: 'only this writer (heartbeats, card_checks)' })
  @IsOptional() @Matches(/^[a-z_]{1,32}$/, { message: 'writer must be a writer name such as heartbeats or card_checks' })
  writer?: string;
}
