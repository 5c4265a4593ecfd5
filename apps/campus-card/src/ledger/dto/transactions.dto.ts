import { IsIn, IsOptional } from 'class-validator';
import { FormNumber } from '@onecard/kernel';
import { MAX_AMOUNT_YUAN, YuanAmount } from '../../common/money';
import { OptionalCardNo, OptionalInt, RequiredCardNo, RequiredString } from '../../common/validators';

/** Epoch milliseconds up to the year 9999. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** GET /v1/me/card/transactions (获取交易记录信息). */
export class TransactionsQuery {
  @OptionalCardNo()
  cardNo?: string;

  /** Unix ms; optional when paging (then 1970-01-01), required without. */
  @OptionalInt(0, MAX_EPOCH_MS)
  beginDate?: number;

  /** Unix ms; default the end of today (wire time zone). */
  @OptionalInt(0, MAX_EPOCH_MS)
  endDate?: number;

  @IsOptional() @IsIn(['dateTime', 'dateTimeAccount'], { message: 'orderBy must be dateTime or dateTimeAccount' })
  orderBy?: 'dateTime' | 'dateTimeAccount';

  @OptionalInt(0, 1_000_000_000)
  start?: number;

  /** 0–100; 0 (or absent): no paging. */
  @OptionalInt(0, 100)
  limit?: number;
}

/** POST /admin/transactions: a POS purchase (持卡人消费), amount in yuan. */
export class PosPurchaseDto {
  @RequiredCardNo()
  cardNo: string;

  @RequiredString(32)
  merchantNo: string;

  @RequiredString(64)
  merchant: string;

  /** 消费目标系统, e.g. 闵行第二餐厅. */
  @RequiredString(64)
  system: string;

  @FormNumber() @YuanAmount({ min: 0.01, max: MAX_AMOUNT_YUAN })
  amount: number;
}
