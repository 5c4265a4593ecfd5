import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { FormInt } from '@onecard/kernel';
import { DeviceKey, GuidList } from '../../common/fields';
import { parsePassTimes } from '../pass-times';

function PassTimes(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    MaxLength(30, { message: '$property must be at most 30 characters' }),
    ValidateBy({
      name: 'passTimes',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || parsePassTimes(value).ok,
        defaultMessage: (args) => {
          const parsed = parsePassTimes(String(args?.value));
          return `$property ${parsed.ok ? 'is invalid' : parsed.problem}`;
        },
      },
    }),
  );
}

/** 批量授权人员到设备. permissionTime is an extension (the period the authorisation is valid). */
export class AuthorizeDto {
  @GuidList() guids!: string;

  /** 0 none, 1 face, 2 card, 3 face and card. */
  @FormInt()
  @IsDefined({ message: '$property is required' })
  @IsInt({ message: '$property must be 0 (none), 1 (face), 2 (card) or 3 (face and card)' })
  @IsIn([0, 1, 2, 3], { message: '$property must be 0 (none), 1 (face), 2 (card) or 3 (face and card)' })
  permission!: number;

  @PassTimes() passTimes?: string;

  @DeviceKey() deviceKey!: string;

  @IsOptional() @IsString({ message: '$property must be a string' }) @MaxLength(41, { message: '$property must be at most 41 characters' })
  permissionTime?: string;
}

/** 人员销权. */
export class RevokeDto {
  @GuidList() guids!: string;
  @DeviceKey() deviceKey!: string;
}
