import { loadConfig } from '@onecard/kernel';
import { WageAttendanceConfig } from './config';

const base = { ADMIN_TOKEN: 'admin-token-0123456789' };

describe('WageAttendanceConfig', () => {
  it('runs with defaults outside production; keys then come from ADMIN_TOKEN', () => {
    const config = loadConfig(WageAttendanceConfig, base);
    expect(config).toMatchObject({ CALLBACK_MAX_ATTEMPTS: 16, TERMINAL_OFFLINE_AFTER_S: 120 });
    expect(config.callbackLanes()).toBe(2);
    expect(loadConfig(WageAttendanceConfig, { ...base, DB_POOL_SIZE: '2' }).callbackLanes()).toBe(1);
    expect(config.SUPERVISION_CALLBACK_URL).toBeUndefined();
    expect(loadConfig(WageAttendanceConfig, { ...base, SUPERVISION_CALLBACK_URL: '' }).SUPERVISION_CALLBACK_URL).toBeUndefined();
  });

  it('requires the token and keys in production, naming each', () => {
    const prod = { ...base, NODE_ENV: 'production' };
    expect(() => loadConfig(WageAttendanceConfig, prod)).toThrow(/PLATFORM_TOKEN/);
    expect(() => loadConfig(WageAttendanceConfig, { ...prod, PLATFORM_TOKEN: 'p'.repeat(16) })).toThrow(/CALLBACK_SECRET/);
    expect(() => loadConfig(WageAttendanceConfig, { ...prod, PLATFORM_TOKEN: 'p'.repeat(16), CALLBACK_SECRET: 'c'.repeat(16) })).toThrow(/TERMINAL_SECRET_KEY/);
    expect(loadConfig(WageAttendanceConfig, { ...prod, PLATFORM_TOKEN: 'p'.repeat(16), CALLBACK_SECRET: 'c'.repeat(16), TERMINAL_SECRET_KEY: 'a'.repeat(64) }).NODE_ENV).toBe('production');
  });

  it('refuses a callback URL with a query, and more lanes than the pool can hold', () => {
    expect(() => loadConfig(WageAttendanceConfig, { ...base, SUPERVISION_CALLBACK_URL: 'https://x.example/api?token=1' })).toThrow(/SUPERVISION_CALLBACK_URL must be an http\(s\) URL/);
    expect(() => loadConfig(WageAttendanceConfig, { ...base, DB_POOL_SIZE: '4', CALLBACK_LANES: '3' })).toThrow(/CALLBACK_LANES must be at most DB_POOL_SIZE - 2/);
    expect(loadConfig(WageAttendanceConfig, { ...base, DB_POOL_SIZE: '4', CALLBACK_LANES: '2' }).CALLBACK_LANES).toBe(2);
  });
});
