import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ToOptionalString, ToString } from '../../wire/dto-transforms';

/** 获取token接口: the device proves it holds its secret. */
export class GetTokenDto {
  @ApiPropertyOptional() @IsOptional() @ToOptionalString() @MaxLength(64) @IsString() req_id?: string;
  @ApiProperty({ example: 'BUS-0001' }) @ToString() @IsString() @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'device_id must be 1–64 letters, digits or _ . : -' })
  device_id!: string;
  @ApiProperty({ description: 'unix time, seconds (10 digits) or milliseconds (13 digits)', example: '1700000000' })
  @ToString() @IsString() @Matches(/^(\d{10}|\d{13})$/, { message: 'timestamp must be unix time in seconds (10 digits) or milliseconds (13 digits)' })
  timestamp!: string;
  @ApiProperty({ description: '8–64 characters, never reused' }) @ToString() @IsString() @Matches(/^[\x21-\x7e]{8,64}$/, { message: 'nonce must be 8–64 printable ASCII characters' })
  nonce!: string;
  @ApiProperty({ description: 'lowercase hex HMAC-SHA256(secret, device_id + timestamp + nonce)' })
  @IsString() @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sign must be 64 hex characters (HMAC-SHA256)' })
  sign!: string;
}
