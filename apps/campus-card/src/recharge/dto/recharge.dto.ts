import { Transform } from 'class-transformer';
import { IsIn, ValidateBy } from 'class-validator';
import { FormNumber } from '@onecard/kernel';
import { MAX_AMOUNT_YUAN, YuanAmount } from '../../common/money';
import { OptionalInt, RequiredCardNo, RequiredPattern } from '../../common/validators';

/** GET /v1/me/card/recharge (查询充值请求). */
export class RechargeQuery {
  @RequiredCardNo()
  cardNo: string;

  /** Optional: without it, the card's paid but not yet recharged orders. */
  @OptionalInt(1, Number.MAX_SAFE_INTEGER)
  id?: number;
}

/** POST /v1/me/card/recharge (提交充值请求): amount in whole yuan (`integer`; 10.0 reads as 10). */
export class SubmitRechargeDto {
  @RequiredCardNo()
  cardNo: string;

  @FormNumber() @YuanAmount({ min: 1, max: MAX_AMOUNT_YUAN, whole: true })
  amount: number;
}

/** A value signed as text: a JSON number is read as the text it prints as. */
const AsText = () => Transform(({ value }) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value));

/** A wall-clock time as `yyyy-MM-dd HH:mm:ss`, naming a real instant. */
const WireDateTime = () =>
  ValidateBy({
    name: 'wireDateTime',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
        if (!m) return false;
        const [, y, mo, d, h, mi, s] = m.map(Number);
        const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
        return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
      },
      defaultMessage: () => '$property must be a time as yyyy-MM-dd HH:mm:ss',
    },
  });

/** POST /v1/payment/notify: the payment system's notification (form), fields as signed. */
export class PaymentNotifyDto {
  @AsText() @RequiredPattern(/^\d{1,18}$/, 'the order id (digits)', 18)
  id: string;

  /** Yuan, as the payment system writes it (e.g. 10.00). */
  @AsText() @RequiredPattern(/^\d{1,9}(\.\d{1,2})?$/, 'an amount in yuan with at most two decimals', 12)
  amount: string;

  @RequiredPattern(/^.{19}$/, 'a time as yyyy-MM-dd HH:mm:ss', 19) @WireDateTime()
  payTime: string;

  @IsIn(['SUCCESS', 'FAILED'], { message: 'status must be SUCCESS or FAILED' })
  status: 'SUCCESS' | 'FAILED';

  @RequiredPattern(/^[0-9a-f]{64}$/, 'lowercase hex HMAC-SHA256 (64 digits)', 64)
  sign: string;
}
