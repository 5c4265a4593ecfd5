import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AdminPageQuery } from '@onecard/platform';

/** Ids that travel in URLs, arrays and CSV cells: no spaces, commas or quotes. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const ID_MESSAGE = '$property must be 1–64 letters, digits or _ . : -';
const TIME_OF_DAY = /^\d{1,2}:\d{2}(:\d{2})?$/;
/** The heartbeat's form (`yyyy-MM-dd HH:mm:ss`) or a bare time of day. */
const WINDOW_TIME = /^(\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}(:\d{2})?$/;

export class RegisterDeviceDto {
  @ApiProperty({ example: 'BUS-0001' }) @Matches(ID_PATTERN, { message: ID_MESSAGE }) device_id!: string;
  @ApiProperty({ example: '398' }) @Matches(ID_PATTERN, { message: ID_MESSAGE }) enterprise_id!: string;
  @ApiProperty({ example: 'L12' }) @Matches(ID_PATTERN, { message: ID_MESSAGE }) line_id!: string;
}

const FLAG = [0, 1];

/** Remote configuration (远程管理): what the heartbeat answer tells the validator. Any subset. */
export class DeviceConfigDto {
  @ApiPropertyOptional({ description: 'QR checking: 0 online, 1 offline' }) @IsOptional() @IsIn(FLAG) check_mode?: 0 | 1;
  @ApiPropertyOptional({ description: 'Card checking: 0 online, 1 offline' }) @IsOptional() @IsIn(FLAG) check_card_mode?: 0 | 1;
  @ApiPropertyOptional({ description: 'QR function: 0 off, 1 on' }) @IsOptional() @IsIn(FLAG) qrcode_mode?: 0 | 1;
  @ApiPropertyOptional({ description: 'IC card function: 0 off, 1 on' }) @IsOptional() @IsIn(FLAG) card_mode?: 0 | 1;
  @ApiPropertyOptional({ description: 'Whitelist enforced: 0 off (only invalid cards refused), 1 on' }) @IsOptional() @IsIn(FLAG) white_mode?: 0 | 1;
  @ApiPropertyOptional({ description: 'Only cards of the device line accepted: 0 no, 1 yes' }) @IsOptional() @IsIn(FLAG) is_line_white?: 0 | 1;
  @ApiPropertyOptional({ description: 'Daily check window start HH:mm[:ss] (wire time zone); null clears the window', nullable: true })
  @IsOptional() @Matches(TIME_OF_DAY, { message: 'check_start_time must be HH:mm or HH:mm:ss' })
  check_start_time?: string | null;
  @ApiPropertyOptional({ description: 'Daily check window end HH:mm[:ss]; before start means across midnight', nullable: true })
  @IsOptional() @Matches(TIME_OF_DAY, { message: 'check_end_time must be HH:mm or HH:mm:ss' })
  check_end_time?: string | null;
  @ApiPropertyOptional({
    description: "check_start_time under the heartbeat's name and form (yyyy-MM-dd HH:mm:ss, or HH:mm[:ss]): the date is not kept, the window recurs daily",
    nullable: true,
  })
  @IsOptional() @Matches(WINDOW_TIME, { message: 'check_start_time_format must be yyyy-MM-dd HH:mm:ss or HH:mm[:ss]' })
  check_start_time_format?: string | null;
  @ApiPropertyOptional({ description: "check_end_time under the heartbeat's name and form", nullable: true })
  @IsOptional() @Matches(WINDOW_TIME, { message: 'check_end_time_format must be yyyy-MM-dd HH:mm:ss or HH:mm[:ss]' })
  check_end_time_format?: string | null;
  @ApiPropertyOptional({
    description: "Heartbeat interval of this device, seconds, sent as report_interval in its heartbeat answers (online while heartbeats keep coming); null: its line's, else the default",
    nullable: true,
  })
  @IsOptional() @Min(1) @Max(3600) @IsInt() heartbeat_interval?: number | null;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE }) line_id?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE }) enterprise_id?: string;
}

export class DeviceIdParam {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) device_id!: string;
}

/** `GET /admin/devices`: filters, and a page (`limit`, `offset`) in device_id order. */
export class ListDevicesQuery extends AdminPageQuery {
  @ApiPropertyOptional({ description: 'only this line' })
  @IsOptional() @IsString() @Matches(ID_PATTERN, { message: ID_MESSAGE }) line_id?: string;
  @ApiPropertyOptional({ description: 'only this enterprise' })
  @IsOptional() @IsString() @Matches(ID_PATTERN, { message: ID_MESSAGE }) enterprise_id?: string;
  @ApiPropertyOptional({ description: 'true: only devices heard from within 3 heartbeat intervals; false: only the others', enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'], { message: 'online must be true or false' }) online?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'true: only devices taken out of service; false: only those in service', enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'], { message: 'disabled must be true or false' }) disabled?: 'true' | 'false';
}
