import { IsIn, IsOptional, Matches } from 'class-validator';
import { AdminKeysetQuery } from '@onecard/platform';
import { DEVICE_KEY } from '../../common/fields';

/** `GET /admin/callbacks?status=&deviceKey=&limit=&cursor=`, newest first (by id). */
export class CallbackListQuery extends AdminKeysetQuery {
  @IsOptional() @IsIn(['pending', 'delivered', 'dead'], { message: 'status must be pending, delivered or dead' })
  status?: 'pending' | 'delivered' | 'dead';

  @IsOptional() @Matches(DEVICE_KEY, { message: 'deviceKey must be 1–50 letters, digits or _ . : -' })
  deviceKey?: string;
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
