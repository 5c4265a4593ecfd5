import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ToInt, ToOptionalString, ToString } from '../../wire/dto-transforms';

/** 4.1 刷卡验票白名单 */
export class GetCardListDto {
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() req_id?: string;
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() enterprise_id?: string;
  @ApiPropertyOptional({ description: 'or Authorization: Bearer' }) @IsOptional() @IsString() token?: string;
  @ApiProperty() @ToString() @MaxLength(64) @IsString() device_id!: string;
  @ApiProperty({ description: '1 full list, 2 changes since the version reported in the last heartbeat', enum: [1, 2] })
  @ToInt() @IsIn([1, 2], { message: 'type must be 1 (full) or 2 (incremental)' })
  type!: 1 | 2;
}

/** 4.4 刷卡验票线路白名单 */
export class GetLineCardListDto {
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() req_id?: string;
  @ApiPropertyOptional({ description: 'or Authorization: Bearer' }) @IsOptional() @IsString() token?: string;
  @ApiProperty() @ToString() @MaxLength(64) @IsString() device_id!: string;
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() enterprise_id?: string;
}
