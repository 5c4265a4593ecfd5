import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import { CardUid, HexBytes, MACHINE_NO, NumberAsText, RequiredPattern, RequiredString } from '../../common/validators';

/** 开卡指令获取 (getOpenCardApdu). */
export class GetOpenCardApduDto {
  @NumberAsText() @RequiredString(64) orderId: string;
  @NumberAsText() @RequiredString(64) userId: string;
  /** Card inner code, hex (normalised to uppercase). */
  @CardUid() uid: string;
}

/** 开卡指令后续 (apduExeResult): the index and R-APDU of the last command the kiosk ran. */
export class ApduExeResultDto {
  @NumberAsText() @RequiredPattern(/^\d{1,9}$/, 'the index of a command as decimal digits', 9)
  apduIndex: string;

  /** Response data + SW1 SW2, hex; an extended-length response fits. May be empty with result 0x01 (the card may never have answered). */
  @HexBytes(2 * (65536 + 2), (body) => (body as ApduExeResultDto).result === '0x01')
  rapdu: string;

  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(['0x00', '0x01'], { message: 'result must be "0x00" (executed) or "0x01" (kiosk failure)' })
  result: '0x00' | '0x01';

  @NumberAsText() @RequiredString(64) userId: string;
  @CardUid() uid: string;
}

/** 制卡完成通知 (finish). */
export class FinishDto {
  @NumberAsText() @RequiredString(64) orderId: string;
  @NumberAsText() @RequiredString(64) userId: string;
  @CardUid() uid: string;
  @NumberAsText() @RequiredPattern(MACHINE_NO, '1-64 of A-Z a-z 0-9 _ . -') machineNo: string;
}
