import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsWireTime, ToInt, ToOptionalFloat, ToOptionalString, ToString } from '../../wire/dto-transforms';

const MODE = { message: '$property must be 0 or 1' };

/** 3.1 心跳包: position, speed and the device's own view of its modes and list versions. */
export class LocationReportDto {
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() req_id?: string;
  @ApiPropertyOptional({ description: 'or Authorization: Bearer' }) @IsOptional() @IsString() token?: string;
  @ApiProperty() @ToString() @MaxLength(64) @IsString() device_id!: string;
  @ApiProperty({ description: 'device clock: yyyy-MM-dd HH:mm:ss, yyyyMMddHHmmss, yyMMddHHmmss or unix seconds' }) @ToString() @IsWireTime() time!: string;
  @ApiPropertyOptional() @IsOptional() @ToOptionalFloat() @Min(-180) @Max(180) @IsNumber({}, { message: 'lng must be a number' }) lng?: number;
  @ApiPropertyOptional() @IsOptional() @ToOptionalFloat() @Min(-90) @Max(90) @IsNumber({}, { message: 'lat must be a number' }) lat?: number;
  @ApiPropertyOptional({ description: 'heading, degrees' }) @IsOptional() @ToOptionalFloat() @Min(0) @Max(360) @IsNumber({}, { message: 'course must be a number' }) course?: number;
  @ApiPropertyOptional({ description: 'speed, km/h' }) @IsOptional() @ToOptionalFloat() @Min(0) @Max(1000) @IsNumber({}, { message: 'speed must be a number' }) speed?: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) check_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) check_card_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) qrcode_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) card_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) white_mode!: number;
  @ApiProperty({ description: 'full whitelist version held ("" when none)' }) @ToString() @MaxLength(32) @IsString() version_code_all!: string;
  @ApiProperty({ description: 'incremental whitelist version reached ("" when none)' }) @ToString() @MaxLength(32) @IsString() version_code_add!: string;
  @ApiProperty() @ToInt() @Min(0) @Max(2147483647) @IsInt({ message: 'software_ver must be an integer' }) software_ver!: number;
  @ApiProperty({ description: 'line whitelist version held ("" when none)' }) @ToString() @MaxLength(32) @IsString() line_version_code_all!: string;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) is_line_white!: number;
}
