import { IsOptional } from 'class-validator';
import { IntParam } from '@onecard/kernel';
import { AdminPageQuery } from '@onecard/platform';

/** `GET /admin/devices?onlineState=1|2&state=1|2|3&limit=&offset=`, in deviceKey order. */
export class DeviceListQuery extends AdminPageQuery {
  /** The document's onlineState: 1 heard from within TERMINAL_OFFLINE_AFTER_S, 2 not. */
  @IsOptional() @IntParam('onlineState', { min: 1, max: 2 })
  onlineState?: 1 | 2;

  /** The document's state: 1 not bound, 2 bound, 3 disabled (deleted). */
  @IsOptional() @IntParam('state', { min: 1, max: 3 })
  state?: 1 | 2 | 3;
}
