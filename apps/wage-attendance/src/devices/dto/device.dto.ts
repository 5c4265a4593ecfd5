import { DeviceKey, OptionalText, RequiredText } from '../../common/fields';

/** 新增设备. */
export class CreateDeviceDto {
  @DeviceKey() deviceKey!: string;
  @RequiredText(20) deviceName!: string;
  @OptionalText(20) deviceTag?: string;
}

/** 查询设备信息, 删除设备. */
export class DeviceKeyDto {
  @DeviceKey() deviceKey!: string;
}
