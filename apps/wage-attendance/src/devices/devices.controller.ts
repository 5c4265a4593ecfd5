import { Body } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { PlatformCall, PlatformController } from '../platform-auth/platform-controller';
import { Answer } from '../wire/platform-envelope';
import { DevicesService } from './devices.service';
import { CreateDeviceDto, DeviceKeyDto } from './dto/device.dto';

/** The document's calls 1–3 (新增设备, 查询设备信息, 删除设备), made by the supervision platform. */
@PlatformController('device')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @PlatformCall('create')
  @ApiOperation({ summary: '新增设备: result {deviceKey, secret}; the secret, for the terminal to sign with, is shown only here' })
  async create(@Body() dto: CreateDeviceDto) {
    return new Answer('绑定成功', await this.devices.create(dto));
  }

  @PlatformCall('query')
  @ApiOperation({ summary: '查询设备信息: deviceKey, tag, name, state (1 unbound, 2 bound, 3 disabled), onlineState (1 online, 2 offline), versionNo, lastActiveTime, createTime' })
  async query(@Body() dto: DeviceKeyDto) {
    return new Answer('查询数据成功', await this.devices.query(dto.deviceKey));
  }

  @PlatformCall('delete')
  @ApiOperation({ summary: '删除设备: the terminal is disabled and the deleteDevice callback sent' })
  async delete(@Body() dto: DeviceKeyDto) {
    await this.devices.delete(dto.deviceKey);
    return new Answer('删除设备成功', {});
  }
}
