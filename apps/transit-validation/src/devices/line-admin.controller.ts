import { Body, Get, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { LineConfigDto, LineIdParam } from './dto/line-admin.dto';
import { LineSettings } from './line-settings';

/** What /admin shows of a line's settings. */
export interface LineView {
  line_id: string;
  /** The line's own heartbeat interval, seconds; null when the default applies. */
  heartbeat_interval: number | null;
  /** What a device of the line without its own setting is told (`report_interval`). */
  report_interval: number;
}

/** Settings shared by the validators of one line (a device's own setting wins). */
@AdminController('lines')
export class LineAdminController {
  constructor(
    private readonly lines: LineSettings,
    private readonly config: TransitValidationConfig,
  ) {}

  @Put(':line_id/config')
  @ApiOperation({
    summary: "Set the line's heartbeat interval (seconds; null clears it): its devices without their own get it as report_interval in their next heartbeat answer",
  })
  async configure(@Param() params: LineIdParam, @Body() dto: LineConfigDto): Promise<LineView> {
    await this.lines.setInterval(params.line_id, dto.heartbeat_interval);
    return this.view(params.line_id);
  }

  @Get(':line_id/config')
  @ApiOperation({ summary: "A line's settings and the heartbeat interval its devices are told" })
  describe(@Param() params: LineIdParam): LineView {
    return this.view(params.line_id);
  }

  private view(lineId: string): LineView {
    const own = this.lines.lineInterval(lineId);
    return { line_id: lineId, heartbeat_interval: own ?? null, report_interval: own ?? this.config.TRANSIT_REPORT_INTERVAL_S };
  }
}
