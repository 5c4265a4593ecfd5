import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '@onecard/platform';
import { DevicesAdminService } from './devices-admin.service';
import { DeviceListQuery } from './dto/device-admin.dto';

/** Operators: the terminals, for a fleet view (the platform's own calls are /device/…). */
@AdminController('devices')
export class DevicesAdminController {
  constructor(private readonly devices: DevicesAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Terminals in deviceKey order as 查询设备信息 shows each (state, onlineState, versionNo, lastActiveTime…); filter by onlineState and state; {total, limit, offset, items}' })
  list(@Query() query: DeviceListQuery) {
    return this.devices.list(query);
  }
}
