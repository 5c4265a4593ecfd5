import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateNested } from 'class-validator';
import { FormBoolean, FormInt } from '@onecard/kernel';
import { DeviceKey, OptionalText } from '../../common/fields';
import { parseShowTime } from '../show-time';

const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

function Code(values: number[], meaning: string): PropertyDecorator {
  return applyDecorators(
    FormInt(),
    IsDefined({ message: '$property is required' }),
    IsInt({ message: `$property must be an integer: ${meaning}` }),
    IsIn(values, { message: `$property must be ${meaning}` }),
  );
}

/** 人证比对详细: the ID card the terminal read and compared with the face. */
export class IdCardInfoDto {
  @OptionalText(64) name?: string;
  @OptionalText(8) sex?: string;
  @OptionalText(16) nation?: string;
  @OptionalText(16) birthday?: string;
  @OptionalText(32) idNum?: string;
  @OptionalText(256) address?: string;
  @OptionalText(128) issuingOrgan?: string;
  @OptionalText(1024) photoPath?: string;
  @OptionalText(64) usefulLife?: string;
  @FormBoolean() @IsOptional() @IsBoolean({ message: '$property must be true or false' }) compareResult?: boolean;
  @FormInt() @IsOptional() @IsInt({ message: '$property must be an integer' }) id?: number;
  @FormInt() @IsOptional() @IsInt({ message: '$property must be unix time in milliseconds' }) createTime?: number;
  @OptionalText(50) deviceKey?: string;
}

/**
 * A recognition record, shaped as the document's identify callback. passTimeType,
 * permissionTimeType and recModeType are judged here, whatever the terminal sends for them.
 */
export class IdentifyDto {
  /** 识别guid, unique: the same record uploaded again is the same record. */
  @IsDefined({ message: '$property is required' }) @IsString({ message: '$property must be a string' })
  @Matches(RECORD_ID, { message: '$property must be 1–64 letters, digits, _ or -' })
  guid!: string;

  @DeviceKey() deviceKey!: string;

  /** A person's guid; STRANGERBABY for a stranger, IDCARDBABY for an ID card comparison. */
  @IsDefined({ message: '$property is required' }) @IsString({ message: '$property must be a string' })
  @Matches(RECORD_ID, { message: '$property must be 1–64 letters, digits, _ or -' })
  personGuid!: string;

  @OptionalText(1024) photoUrl?: string;

  /** Unix ms (number or text), or an instant such as 2018-11-28T03:06:23+0000. */
  @IsDefined({ message: '$property is required' })
  @ValidateBy({
    name: 'showTime',
    validator: {
      validate: (value: unknown) => parseShowTime(value) !== undefined,
      defaultMessage: () => '$property must be unix time in milliseconds or an instant like 2018-11-28T03:06:23+0000',
    },
  })
  showTime!: string | number;

  @Code([1, 2], '1 (matched) or 2 (not matched)') type!: number;
  @Code([1, 2, 3, 4], '1 face, 2 card, 3 face and card, 4 ID card comparison') recMode!: number;
  @FormInt() @IsOptional() @IsInt({ message: '$property must be 1 (local) or 2 (cloud)' }) @IsIn([1, 2], { message: '$property must be 1 (local) or 2 (cloud)' })
  recType?: number;

  @IsOptional() @IsString({ message: '$property must be a string' }) @Matches(/^[A-Za-z0-9 ]{0,32}$/, { message: '$property must be at most 32 letters or digits' })
  cardNo?: string;

  @OptionalText(64) personName?: string;
  @OptionalText(16) deviceType?: string;

  @IsOptional() @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => IdCardInfoDto)
  idCardInfo?: IdCardInfoDto;
}
