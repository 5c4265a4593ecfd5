import { DeviceKey, RequiredText } from '../../common/fields';

/** A terminal's heartbeat: it is alive, running this application version. */
export class HeartbeatDto {
  @DeviceKey() deviceKey!: string;
  /** 设备应用版本号, answered by /device/query. */
  @RequiredText(32) versionNo!: string;
}
