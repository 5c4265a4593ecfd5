import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEVICE_TIME_FORMS } from '../../wire/wire-clock';
import { IsWireTime, TelemetryField, ToInt, ToOptionalString, ToString } from '../../wire/dto-transforms';

const MODE = { message: '$property must be 0 or 1' };

/** 3.1 心跳包: position, speed and the device's own view of its modes and list versions. */
export class LocationReportDto {
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() req_id?: string;
  @ApiPropertyOptional({ description: 'or Authorization: Bearer' }) @IsOptional() @IsString() token?: string;
  @ApiProperty() @ToString() @MaxLength(64) @IsString() device_id!: string;
  @ApiProperty({ description: `device clock: ${DEVICE_TIME_FORMS}` }) @ToString() @IsWireTime() time!: string;
  @TelemetryField('longitude, degrees (or NMEA dddmm.mmmm, a hemisphere letter E/W)') lng?: unknown;
  @TelemetryField('latitude, degrees (or NMEA ddmm.mmmm, a hemisphere letter N/S)') lat?: unknown;
  @TelemetryField('heading, degrees 0–360') course?: unknown;
  @TelemetryField('speed, km/h') speed?: unknown;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) check_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) check_card_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) qrcode_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) card_mode!: number;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) white_mode!: number;
  @ApiProperty({ description: 'full whitelist version held ("" when none)' }) @ToString() @MaxLength(32) @IsString() version_code_all!: string;
  @ApiProperty({ description: 'incremental whitelist version reached ("" when none)' }) @ToString() @MaxLength(32) @IsString() version_code_add!: string;
  // The document marks it required, but it is telemetry: a heartbeat without it, or with "1.0.3", is still a heartbeat.
  @TelemetryField('firmware version, an integer (other forms such as 1.0.3 are kept as text)') software_ver?: unknown;
  @ApiProperty({ description: 'line whitelist version held ("" when none)' }) @ToString() @MaxLength(32) @IsString() line_version_code_all!: string;
  @ApiProperty({ enum: [0, 1] }) @ToInt() @IsIn([0, 1], MODE) is_line_white!: number;
}
