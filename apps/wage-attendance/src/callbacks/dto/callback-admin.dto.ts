import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DEVICE_KEY } from '../../common/fields';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class CallbackListQuery {
  @IsOptional() @IsIn(['pending', 'delivered', 'dead'], { message: 'status must be pending, delivered or dead' })
  status?: 'pending' | 'delivered' | 'dead';

  @IsOptional() @Matches(DEVICE_KEY, { message: 'deviceKey must be 1–50 letters, digits or _ . : -' })
  deviceKey?: string;

  @IsOptional() @Transform(toInt) @IsInt({ message: 'limit must be an integer' }) @Min(1) @Max(500, { message: 'limit must be at most 500' })
  limit?: number;

  /** Callbacks with a smaller id (paging backwards from the newest). */
  @IsOptional() @Transform(toInt) @IsInt({ message: 'beforeId must be an integer' }) @Min(1)
  beforeId?: number;
}

export class CallbackIdParam {
  @Matches(/^\d{1,18}$/, { message: 'id must be a callback id' })
  id!: string;
}

export class ReplayDeadDto {
  /** Only this device's dead letters; all of them when absent. */
  @IsOptional() @Matches(DEVICE_KEY, { message: 'deviceKey must be 1–50 letters, digits or _ . : -' })
  deviceKey?: string;
}
