import { Get, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { AdminController, AdminPageQuery, pageWindow } from '@onecard/platform';
import { OptionalCardNo } from '../common/validators';
import { RechargeService } from './recharge.service';
import { RECHARGE_STATUSES, RechargeStatus } from './recharge-status';

class RechargeListQuery extends AdminPageQuery {
  @OptionalCardNo()
  cardNo?: string;

  @IsOptional() @IsIn(RECHARGE_STATUSES, { message: `status must be one of ${RECHARGE_STATUSES.join(', ')}` })
  status?: RechargeStatus;
}

/** Operators: recharge orders (e.g. RECHARGE_FAILED ones awaiting a refund), newest first. */
@AdminController('recharge-orders')
export class RechargeAdminController {
  constructor(private readonly recharges: RechargeService) {}

  @Get()
  list(@Query() query: RechargeListQuery) {
    return this.recharges.list({ cardNo: query.cardNo, status: query.status }, pageWindow(query));
  }
}
