import { Get, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { AdminController } from '@onecard/platform';
import { OptionalCardNo, OptionalInt } from '../common/validators';
import { ORDER_COLUMNS, RechargeOrderRow, RechargeService } from './recharge.service';
import { RECHARGE_STATUSES, RechargeStatus } from './recharge-status';

class RechargeListQuery {
  @OptionalCardNo()
  cardNo?: string;

  @IsOptional() @IsIn(RECHARGE_STATUSES, { message: `status must be one of ${RECHARGE_STATUSES.join(', ')}` })
  status?: RechargeStatus;

  @OptionalInt(1, 500)
  limit?: number;
}

/** Operators: recharge orders (e.g. RECHARGE_FAILED ones awaiting a refund), newest first. */
@AdminController('recharge-orders')
export class RechargeAdminController {
  constructor(
    private readonly db: DataSource,
    private readonly recharges: RechargeService,
  ) {}

  @Get()
  async list(@Query() query: RechargeListQuery) {
    const orders: RechargeOrderRow[] = await this.db.query(
      `SELECT ${ORDER_COLUMNS} FROM recharge_order WHERE ($1::text IS NULL OR card_no = $1) AND ($2::text IS NULL OR status = $2) ORDER BY id DESC LIMIT $3`,
      [query.cardNo ?? null, query.status ?? null, query.limit ?? 100],
    );
    return { total: orders.length, entities: orders.map((o) => this.recharges.entity(o)) };
  }
}
