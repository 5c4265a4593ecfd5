import { Body, Post, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentDevice, DeviceTokenGuard } from '../auth/device-token.guard';
import type { Device } from '../devices/device-registry';
import { LocationReportDto } from './dto/location-report.dto';
import { HeartbeatAnswer, LocationReportService } from './location-report.service';
import { ValidatorController } from '../wire/validator-controller';

/** 3.1 心跳包接口 */
@ValidatorController()
@UseGuards(DeviceTokenGuard)
export class LocationReportController {
  constructor(private readonly heartbeats: LocationReportService) {}

  @Post('location_report')
  @ApiOperation({
    summary: 'Heartbeat: position and state in; remote configuration, whitelist versions, QR key group version, check window out',
    description:
      'version_code_add is the current whitelist version (different from the device\'s: download type 2); version_code_all echoes the ' +
      'device\'s own while it can still be updated incrementally, else the current version (different: download type 1). ' +
      'line_version_code_all is the version of the device line\'s list; version_code the version of the QR key set get_qrcode_keys gives (it moves at a rotation and when a grace period ends). server_time is yyMMddHHmmss. ' +
      'Extension: report_interval, the seconds until the next heartbeat (set per device or line by an operator, else TRANSIT_REPORT_INTERVAL_S, 5).',
  })
  report(@Body() dto: LocationReportDto, @CurrentDevice() device: Device): Promise<HeartbeatAnswer> {
    return this.heartbeats.report(device, dto);
  }
}
