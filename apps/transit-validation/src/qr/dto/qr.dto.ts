import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DeviceEventDto } from '../../checks/dto/check.dto';
import { ToInt, ToOptionalString, ToString } from '../../wire/dto-transforms';

/** 5.2 获取二维码密钥组 */
export class GetQrKeysDto {
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() req_id?: string;
  @ApiPropertyOptional({ description: 'or Authorization: Bearer' }) @IsOptional() @IsString() token?: string;
}

/** 5.3 二维码扫码验票 */
export class TicketCheckDto extends DeviceEventDto {
  @ApiProperty({ description: '0 online, 1 offline', enum: [0, 1] }) @ToInt() @IsIn([0, 1], { message: 'check_mode must be 0 (online) or 1 (offline)' }) check_mode!: 0 | 1;
  @ApiProperty({ description: 'the scanned string' }) @ToString() @MaxLength(512) @IsString() qr_code!: string;
}

/** 5.4 二维码扫码验票日志 (offline scans, uploaded later; the same device, code and time is one record) */
export class QrCodeLogDto extends DeviceEventDto {
  @ApiProperty({ description: 'the scanned string' }) @ToString() @MaxLength(512) @IsString() qr_code!: string;
  @ApiPropertyOptional({ description: '0 normal (default), 1 not accepted, 2 blacklisted', enum: ['0', '1', '2'] })
  @IsOptional() @ToOptionalString() @IsIn(['0', '1', '2'], { message: 'status must be 0, 1 or 2' }) status?: '0' | '1' | '2';
}

export class IssueQrDto {
  @ApiProperty({ description: "the rider's id, 1–64 printable ASCII characters", example: 'U1001' })
  @IsString() @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'user_id must be 1–64 printable ASCII characters' }) user_id!: string;
  @ApiPropertyOptional({ description: 'validity, seconds (default TRANSIT_QR_TTL_S)' }) @IsOptional() @Min(1) @Max(86400) @IsInt() ttl_seconds?: number;
}

export class RotateQrDto {
  @ApiPropertyOptional({ description: 'how long the previous group stays valid, seconds (default TRANSIT_QR_GRACE_S)' })
  @IsOptional() @Min(0) @Max(30 * 86400) @IsInt() grace_seconds?: number;
}
