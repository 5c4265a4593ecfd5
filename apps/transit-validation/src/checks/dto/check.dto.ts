import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEVICE_TIME_FORMS } from '../../wire/wire-clock';
import { IsWireTime, TelemetryField, ToInt, ToOptionalString, ToString } from '../../wire/dto-transforms';

/** Fields every check and log carries. */
export class DeviceEventDto {
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() req_id?: string;
  @ApiPropertyOptional({ description: 'or Authorization: Bearer' }) @IsOptional() @IsString() token?: string;
  @ApiProperty() @ToString() @MaxLength(64) @IsString() device_id!: string;
  @TelemetryField('longitude, degrees (or NMEA dddmm.mmmm, a hemisphere letter E/W)') lng?: unknown;
  @TelemetryField('latitude, degrees (or NMEA ddmm.mmmm, a hemisphere letter N/S)') lat?: unknown;
  @ApiProperty({ description: `when it happened (device clock): ${DEVICE_TIME_FORMS}` })
  @ToString() @IsWireTime() time!: string;
}

/** 4.2 刷卡验票 */
export class CardCheckDto extends DeviceEventDto {
  // The document marks it required yet names offline the default: a device leaving it out is answered as offline.
  @ApiPropertyOptional({ description: '0 online, 1 offline (the default)', enum: [0, 1] })
  @IsOptional() @ToInt() @IsIn([0, 1], { message: 'check_mode must be 0 (online) or 1 (offline)' }) check_mode?: 0 | 1;
  @ApiProperty({ description: 'physical card id' }) @ToString() @MaxLength(64) @IsString() card_id!: string;
}

/** 4.3 刷卡日志 (offline taps, uploaded later; the same device, card and time is one record) */
export class CardCheckLogDto extends DeviceEventDto {
  @ApiProperty({ description: 'physical card id' }) @ToString() @MaxLength(64) @IsString() card_id!: string;
  @ApiPropertyOptional({ description: '0 normal (default), 1 not on the whitelist, 2 blacklisted', enum: ['0', '1', '2'] })
  @IsOptional() @ToOptionalString() @IsIn(['0', '1', '2'], { message: 'status must be 0, 1 or 2' }) status?: '0' | '1' | '2';
}
