import { DeviceState } from './device.entity';
import { deviceQueryResult, onlineState } from './device-view';

describe('device query', () => {
  const now = Date.parse('2018-11-27T19:06:24Z');

  it('is online while heard from within the silence allowed, never when disabled or never heard from', () => {
    expect(onlineState(new Date(now - 120_000), now, 120, DeviceState.BOUND)).toBe(1);
    expect(onlineState(new Date(now - 120_001), now, 120, DeviceState.BOUND)).toBe(2);
    expect(onlineState(null, now, 120, DeviceState.UNBOUND)).toBe(2);
    expect(onlineState(new Date(now), now, 120, DeviceState.DISABLED)).toBe(2);
  });

  it('answers every documented field, times as yyyy-MM-dd HH:mm:ss', () => {
    const row = { device_key: '123123123', tag: '这是一个测试设备', name: '测试', state: 2, version_no: '6.0011', last_active_at: new Date(now), created_at: new Date(now - 1000) };
    expect(deviceQueryResult(row, now, 120, 'Asia/Shanghai')).toEqual({
      deviceKey: '123123123', tag: '这是一个测试设备', name: '测试', state: 2, onlineState: 1, versionNo: '6.0011',
      lastActiveTime: '2018-11-28 03:06:24', createTime: '2018-11-28 03:06:23',
    });
    expect(deviceQueryResult({ ...row, state: 1, version_no: null, last_active_at: null }, now, 120, 'Asia/Shanghai')).toMatchObject({ state: 1, onlineState: 2, versionNo: null, lastActiveTime: null });
  });
});
