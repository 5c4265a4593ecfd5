import { IsIn, IsOptional, Matches } from 'class-validator';
import { IntParam } from '@onecard/kernel';
import { DEVICE_KEY } from '../../common/fields';

export class CallbackListQuery {
  @IsOptional() @IsIn(['pending', 'delivered', 'dead'], { message: 'status must be pending, delivered or dead' })
  status?: 'pending' | 'delivered' | 'dead';

  @IsOptional() @Matches(DEVICE_KEY, { message: 'deviceKey must be 1–50 letters, digits or _ . : -' })
  deviceKey?: string;

  @IsOptional() @IntParam('limit', { min: 1, max: 500 })
  limit?: number;

  /** Callbacks with a smaller id (paging backwards from the newest). */
  @IsOptional() @IntParam('beforeId', { min: 1 })
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
