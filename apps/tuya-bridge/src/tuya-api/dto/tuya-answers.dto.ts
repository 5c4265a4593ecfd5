import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';

/**
 * What Tuya's personnel-card calls answer in `result`, after snake_case keys were turned into
 * the camelCase the document's tables name (read-answer.ts). Tuya's examples and tables
 * disagree on case and say little about presence, so only what the bridge cannot work without is
 * required; numbers may come as their decimal strings, and ids as strings or safe integers.
 */

const toNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);
const toId = ({ value }: { value: unknown }): unknown => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);
/** personnel-detail's example gives structureNames as one string; the table says String[]. */
const toList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? [value] : value);

const Id = () => applyDecorators(Transform(toId), IsString(), MaxLength(64));
const OptionalInt = () => applyDecorators(IsOptional(), Transform(toNumber), IsInt());
const OptionalText = (max = 512) => applyDecorators(IsOptional(), IsString(), MaxLength(max));
const OptionalTexts = () => applyDecorators(IsOptional(), Transform(toList), IsArray(), IsString({ each: true }));

/** One person of `GET /v1.0/iot-02/building/personnel-cards`. */
export class TuyaPerson {
  @Id() personId!: string;
  @OptionalText(128) name?: string;
  /** 1 enabled, 2 disabled; absent: the value the list was asked for. */
  @IsOptional() @Transform(toNumber) @IsIn([1, 2]) enabled?: 1 | 2;
  @OptionalInt() sex?: number;
  @OptionalText(32) sexStr?: string;
  @OptionalText(32) certArea?: string;
  @OptionalText(16) mobileCountry?: string;
  @OptionalText(32) mobile?: string;
  @OptionalText(1024) feature?: string;
  @OptionalText(1024) imagePath?: string;
  @OptionalTexts() structureIds?: string[];
  @OptionalTexts() structureNames?: string[];
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) holdCardNum?: number;
  @OptionalInt() containPassword?: number;
}

export class TuyaPersonPage {
  @Transform(toNumber) @IsInt() @Min(0) total!: number;
  /** Absent or null on an empty page. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => TuyaPerson) list?: TuyaPerson[];
}

/** One card of `GET …/personnel-cards/actions/hold-cards`. */
export class TuyaHoldCard {
  @Id() personCardId!: string;
  @Transform(toId) @IsString() @MaxLength(32) cardNo!: string;
  /** 1 normal, 2 frozen. */
  @Transform(toNumber) @IsIn([1, 2]) cardStatus!: 1 | 2;
  @IsOptional() @Id() projectId?: string;
  @IsOptional() @Id() personId?: string;
  @OptionalText(128) name?: string;
  /** 1 physical, 2 virtual. */
  @OptionalInt() cardType?: number;
  @OptionalInt() bindFace?: number;
  /** Epoch milliseconds. */
  @OptionalInt() activationTime?: number;
  @OptionalInt() reportLostTime?: number;
  @OptionalInt() cancelReportLostTime?: number;
  @OptionalInt() containPassword?: number;
  @OptionalTexts() structureNames?: string[];
  @OptionalText(16) mobileCountry?: string;
  @OptionalText(32) mobile?: string;
  @IsOptional() @IsBoolean() canBindFace?: boolean;
}

export class TuyaHoldCards {
  @OptionalInt() allNum?: number;
  @OptionalInt() freezeNum?: number;
  @OptionalInt() normalNum?: number;
  /** Absent or null when the person holds no card. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => TuyaHoldCard) cardList?: TuyaHoldCard[];
}

/** `GET …/personnel-cards/actions/personnel-detail`. */
export class TuyaPersonnelDetail {
  @Id() personId!: string;
  @OptionalText(128) name?: string;
  @OptionalText(16) mobileCountry?: string;
  @OptionalText(32) mobile?: string;
  @OptionalText(2048) imageUrl?: string;
  @OptionalText(1024) imagePath?: string;
  @OptionalTexts() structureNames?: string[];
  @OptionalInt() containPassword?: number;
}

/** Tuya's token answer (`GET /v1.0/token?grant_type=1`, `GET /v1.0/token/{refresh_token}`). */
export class TuyaTokenAnswer {
  @IsString() @MaxLength(512) accessToken!: string;
  @IsString() @MaxLength(512) refreshToken!: string;
  /** Lifetime in seconds. */
  @Transform(toNumber) @IsInt() @Min(1) expireTime!: number;
  @IsOptional() @IsString() uid?: string;
}
