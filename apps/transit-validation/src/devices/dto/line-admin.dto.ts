import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ID_PATTERN } from './device-admin.dto';

export class LineIdParam {
  @Matches(ID_PATTERN, { message: 'line_id must be 1–64 letters, digits or _ . : -' }) line_id!: string;
}

export class LineConfigDto {
  @ApiProperty({ description: 'Heartbeat interval of the line, seconds 1–3600; null: the default (TRANSIT_REPORT_INTERVAL_S)', nullable: true, type: Number })
  @ValidateIf((_dto, value) => value !== null)
  @Min(1, { message: 'heartbeat_interval must be 1–3600 seconds or null' }) @Max(3600, { message: 'heartbeat_interval must be 1–3600 seconds or null' })
  @IsInt({ message: 'heartbeat_interval must be 1–3600 seconds or null' })
  heartbeat_interval!: number | null;
}
