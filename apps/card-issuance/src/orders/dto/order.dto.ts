import { IsIn, IsOptional } from 'class-validator';
import { AdminPageQuery } from '@onecard/platform';
import { DigitsAsText, MACHINE_NO, MaxUtf8Bytes, NumberAsText, PHONE_NUMBER, PROJECT_ID, RequiredPattern, RequiredString } from '../../common/validators';
import { PICKUP_CODE } from '../pickup-code';
import { OrderStatus } from '../card-order.entity';

/**
 * An order for a card. Limits follow what is written to the card (UTF-8 bytes of the
 * cardholder file) and what `card.issued` carries.
 */
export class CreateOrderDto {
  /** 1 open a card, 22 reissue. */
  @IsIn([1, 22], { message: 'orderType must be 1 (open card) or 22 (reissue)' })
  orderType: 1 | 22;

  @RequiredString(64) userId: string;

  @RequiredString(64) @MaxUtf8Bytes(96)
  userName: string;

  /** Written to the card as ASCII. */
  @RequiredPattern(/^[0-9A-Za-z]{1,32}$/, '1-32 letters or digits', 32)
  idCard: string;

  @RequiredPattern(PHONE_NUMBER, 'digits (5-20), optionally after a +', 21)
  phoneNumber: string;

  @RequiredString(64) companyId: string;

  @RequiredString(128) @MaxUtf8Bytes(192)
  companyName: string;

  @RequiredString(512) cardFacePath: string;
  @RequiredString(512) cardBackPath: string;

  @RequiredPattern(PROJECT_ID, '1-64 of A-Z a-z 0-9 _ . -')
  projectId: string;
}

export class OrderListQuery extends AdminPageQuery {
  @IsOptional() @IsIn(Object.values(OrderStatus), { message: 'status must be PENDING, FINISHED or CANCELLED' })
  status?: OrderStatus;

  @IsOptional() @RequiredPattern(PROJECT_ID, '1-64 of A-Z a-z 0-9 _ . -')
  projectId?: string;

  @IsOptional() @RequiredPattern(PHONE_NUMBER, 'digits (5-20), optionally after a +', 21)
  phoneNumber?: string;
}

/** 获取开卡用户信息 (openCardUserDetail). */
export class OpenCardUserDetailDto {
  @NumberAsText() @RequiredPattern(PHONE_NUMBER, 'digits (5-20), optionally after a +', 21)
  phoneNumber: string;

  @DigitsAsText(6) @RequiredPattern(PICKUP_CODE, '6 digits', 6)
  pickupCode: string;

  @NumberAsText() @RequiredPattern(MACHINE_NO, '1-64 of A-Z a-z 0-9 _ . -')
  machineNo: string;
}
