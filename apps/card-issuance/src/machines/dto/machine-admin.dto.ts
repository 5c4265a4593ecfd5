import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { MACHINE_NO, PROJECT_ID, RequiredPattern, RequiredString } from '../../common/validators';

export class CreateMachineDto {
  @RequiredPattern(MACHINE_NO, '1-64 of A-Z a-z 0-9 _ . -')
  machineNo: string;

  @RequiredPattern(PROJECT_ID, '1-64 of A-Z a-z 0-9 _ . -')
  projectId: string;

  @RequiredString(256)
  address: string;
}

function Threshold(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsInt({ message: '$property must be an integer' }),
    Min(0, { message: '$property must be 0 or more' }),
    Max(999_999_999, { message: '$property must be at most 999999999' }),
  );
}

/** Low-stock thresholds per consumable; 0 turns the alarm off for that item. */
export class StockThresholdsDto {
  @Threshold() cardCount?: number;
  @Threshold() inkCount?: number;
  @Threshold() cardRopeCover?: number;
}

export class UpdateMachineDto {
  /** 1 enabled, 2 disabled. */
  @IsOptional() @IsIn([1, 2], { message: 'status must be 1 (enabled) or 2 (disabled)' })
  status?: 1 | 2;

  @IsOptional() @RequiredString(256)
  address?: string;

  @IsOptional() @ValidateNested() @Type(() => StockThresholdsDto)
  lowStockThresholds?: StockThresholdsDto;
}
