import { IsOptional } from 'class-validator';
import { IntParam } from '@onecard/kernel';

export class PagingQuery {
  @IsOptional() @IntParam('limit', { min: 1, max: 500 })
  limit?: number;

  @IsOptional() @IntParam('offset', { min: 0 })
  offset?: number;
}
