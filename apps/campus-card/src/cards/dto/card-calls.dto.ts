import { applyDecorators } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { HEX_UID, normaliseUid } from '@onecard/contracts';
import { Transform } from 'class-transformer';
import { FormNumber } from '@onecard/kernel';
import { MAX_AMOUNT_YUAN, YuanAmount } from '../../common/money';
import { FormBool, NumberAsText, OptionalCardNo, RequiredCardNo, RequiredPattern, RequiredString, RequiredUserCode, USER_CODE } from '../../common/validators';

/** yyyyMMdd naming a real day. */
export function CompactDate(): PropertyDecorator {
  return ValidateBy({
    name: 'compactDate',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !/^\d{8}$/.test(value)) return false;
        const [y, m, d] = [+value.slice(0, 4), +value.slice(4, 6), +value.slice(6, 8)];
        const date = new Date(Date.UTC(y, m - 1, d));
        return y >= 1970 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
      },
      defaultMessage: () => '$property must be a date as yyyyMMdd',
    },
  });
}

/** PUT /v1/me/card (校园卡开户). */
export class OpenAccountDto {
  @RequiredUserCode()
  userCode: string;

  @NumberAsText() @IsIn(['800', '801'], { message: 'cardType must be 800 (正式卡) or 801 (临时卡)' })
  cardType: '800' | '801';

  @RequiredPattern(/^\d{8}$/, 'a date as yyyyMMdd', 8) @CompactDate()
  expireDate: string;

  @FormBool(false)
  free?: boolean;

  @FormNumber() @IsOptional() @YuanAmount({ min: 0, max: MAX_AMOUNT_YUAN })
  openAmount?: number;
}

/** GET /v1/me/card/user (查询校园卡身份信息). */
export class IdentityQuery {
  @RequiredUserCode()
  userCode: string;
}

/** POST /v1/me/card (设置卡信息和状态): lost/unlost and a new query password. */
export class SetCardDto {
  @OptionalCardNo()
  cardNo?: string;

  @RequiredString(32)
  queryPassword: string;

  @FormBool(false)
  lost?: boolean;

  @IsOptional() @RequiredString(32, 4)
  newPassword?: string;
}

/** Physical card id: hex, normalised to uppercase without spaces. */
const HexUid = () => Transform(({ value }) => (typeof value === 'string' ? normaliseUid(value) : value));

/** GET /v1/card (根据学工号或物理卡号查询卡信息): cardId first when both are given. */
export class LookupQuery {
  @ValidateIf((q: LookupQuery) => q.cardId !== undefined || q.userId === undefined)
  @applyDecorators(
    HexUid(),
    IsString({ message: 'cardId or userId is required (cardId: the physical card id, hex)' }),
    Matches(HEX_UID, { message: 'cardId must be the physical card id: 4 to 10 bytes of hex' }),
  )
  cardId?: string;

  @ValidateIf((q: LookupQuery) => q.cardId === undefined)
  @applyDecorators(
    NumberAsText(),
    IsString({ message: 'userId or cardId is required (userId: 学工号)' }),
    MaxLength(64, { message: 'userId must be at most 64 characters' }),
    Matches(USER_CODE, { message: 'userId must be 1-64 of A-Z a-z 0-9 _ . -' }),
  )
  userId?: string;
}

/** POST /v1/card (冻结解冻校园卡). */
export class FreezeDto {
  @RequiredCardNo()
  cardNo: string;

  @FormBool(true)
  frozen: boolean;
}

/** POST /v1/card/foundLostCard (提交拾卡信息): what is printed on the card, and the finder's message. */
export class FoundCardDto {
  @RequiredString(64)
  name: string;

  @RequiredUserCode()
  code: string;

  @RequiredCardNo()
  cardNo: string;

  @RequiredString(500)
  msg: string;

  @IsOptional() @RequiredString(512)
  photo?: string;
}
