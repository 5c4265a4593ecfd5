import { Body, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController, AdminPage, pageWindow } from '@onecard/platform';
import { DevicesService, DeviceView } from './devices.service';
import { DeviceConfigDto, DeviceIdParam, ListDevicesQuery, RegisterDeviceDto } from './dto/device-admin.dto';

/** Operators register validators and manage them remotely (the document's 远程管理). */
@AdminController('devices')
export class DeviceAdminController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @ApiOperation({ summary: 'Register a validator; the answer carries its secret, shown once' })
  register(@Body() dto: RegisterDeviceDto): Promise<{ secret: string }> {
    return this.devices.register(dto);
  }

  @Put(':device_id/config')
  @ApiOperation({ summary: 'Set any of the remote configuration fields; the device gets them in its next heartbeat answer' })
  configure(@Param() params: DeviceIdParam, @Body() dto: DeviceConfigDto): Promise<DeviceView> {
    return this.devices.configure(params.device_id, dto);
  }

  @Post(':device_id/secret')
  @ApiOperation({ summary: 'Rotate the device secret; tokens issued under the old one stop working' })
  rotate(@Param() params: DeviceIdParam): Promise<{ secret: string }> {
    return this.devices.rotateSecret(params.device_id);
  }

  @Post(':device_id/disable')
  @ApiOperation({
    summary: 'Take the device out of service: its tokens stop working at once (ret_code 1109) and /get_token refuses it; publishes device.status-changed',
  })
  disable(@Param() params: DeviceIdParam): Promise<DeviceView> {
    return this.devices.disable(params.device_id);
  }

  @Post(':device_id/enable')
  @ApiOperation({ summary: 'Put the device back in service: it gets a new token from /get_token (tokens from before stay revoked)' })
  enable(@Param() params: DeviceIdParam): Promise<DeviceView> {
    return this.devices.enable(params.device_id);
  }

  @Get(':device_id')
  @ApiOperation({ summary: 'Configuration, last position and whether the device is online' })
  describe(@Param() params: DeviceIdParam): Promise<DeviceView> {
    return this.devices.describe(params.device_id);
  }

  @Get()
  @ApiOperation({ summary: 'The fleet: devices in device_id order, by line, enterprise, online and disabled, with last position, online state and whitelist versions; {total, limit, offset, items}, total counting all that match' })
  list(@Query() query: ListDevicesQuery): Promise<AdminPage<DeviceView>> {
    const flag = (v?: 'true' | 'false') => (v === undefined ? undefined : v === 'true');
    return this.devices.list({
      lineId: query.line_id, enterpriseId: query.enterprise_id, online: flag(query.online), disabled: flag(query.disabled), ...pageWindow(query),
    });
  }
}
