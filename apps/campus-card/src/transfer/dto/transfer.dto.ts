import { IsIn, IsOptional } from 'class-validator';
import { FormNumber } from '@onecard/kernel';
import { AdminPageQuery } from '@onecard/platform';
import { MAX_AMOUNT_YUAN, YuanAmount } from '../../common/money';
import { OptionalCardNo, RequiredString } from '../../common/validators';
import { TRANSFER_STATUSES, TransferStatus } from '../transfer-status';

/** GET /v1/me/card/transfer (查询校园卡余额转结订单). */
export class TransferQuery {
  @OptionalCardNo()
  cardNo?: string;
}

/** POST /v1/me/card/transfer (校园卡余额转结): amount in yuan. */
export class SubmitTransferDto {
  @OptionalCardNo()
  cardNo?: string;

  @RequiredString(32)
  queryPassword: string;

  @FormNumber() @YuanAmount({ min: 0.01, max: MAX_AMOUNT_YUAN })
  amount: number;
}

/** GET /admin/transfers?cardNo=&status=&limit=&offset=, newest first. */
export class TransferListQuery extends AdminPageQuery {
  @OptionalCardNo()
  cardNo?: string;

  @IsOptional() @IsIn(TRANSFER_STATUSES, { message: `status must be one of ${TRANSFER_STATUSES.join(', ')}` })
  status?: TransferStatus;
}
