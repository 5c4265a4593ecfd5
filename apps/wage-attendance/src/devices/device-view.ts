import { formatWireTime } from '@onecard/platform';
import { DeviceState } from './device.entity';

export interface DeviceRow {
  device_key: string;
  name: string;
  tag: string;
  state: number;
  version_no: string | null;
  last_active_at: Date | null;
  created_at: Date;
}

/** The document's onlineState: 1 online while the terminal was heard from within the silence allowed. */
export function onlineState(lastActiveAt: Date | null, nowMs: number, offlineAfterS: number, state: DeviceState): 1 | 2 {
  if (state === DeviceState.DISABLED || !lastActiveAt) return 2;
  return nowMs - lastActiveAt.getTime() <= offlineAfterS * 1000 ? 1 : 2;
}

/** 查询设备信息's result, field for field; times `yyyy-MM-dd HH:mm:ss` in the wire zone, null when never. */
export function deviceQueryResult(row: DeviceRow, nowMs: number, offlineAfterS: number, zone: string): Record<string, unknown> {
  const time = (d: Date | null) => (d ? formatWireTime(new Date(d), 'yyyy-MM-dd HH:mm:ss', zone) : null);
  return {
    deviceKey: row.device_key,
    tag: row.tag,
    name: row.name,
    state: Number(row.state),
    onlineState: onlineState(row.last_active_at ? new Date(row.last_active_at) : null, nowMs, offlineAfterS, Number(row.state)),
    versionNo: row.version_no,
    lastActiveTime: time(row.last_active_at),
    createTime: time(row.created_at),
  };
}
