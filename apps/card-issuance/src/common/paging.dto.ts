import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class PagingQuery {
  @IsOptional() @Transform(toInt) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(500, { message: 'limit must be at most 500' })
  limit?: number;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'offset must be an integer' }) @Min(0)
  offset?: number;
}
