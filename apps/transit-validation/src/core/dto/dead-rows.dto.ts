import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ToInt } from '../../wire/dto-transforms';

export class ListDeadRowsQuery {
  @ApiPropertyOptional({ description: 'only this writer (heartbeats, card_checks)' })
  @IsOptional() @Matches(/^[a-z_]{1,32}$/, { message: 'writer must be a writer name such as heartbeats or card_checks' })
  writer?: string;
  @ApiPropertyOptional({ description: 'rows with a smaller id (the next page)' })
  @IsOptional() @ToInt() @Min(1) @IsInt({ message: 'before_id must be a row id' })
  before_id?: number;
  @ApiPropertyOptional({ description: 'at most this many (default 100)', maximum: 1000 })
  @IsOptional() @ToInt() @Min(1) @Max(1000) @IsInt({ message: 'limit must be an integer' })
  limit?: number;
}
