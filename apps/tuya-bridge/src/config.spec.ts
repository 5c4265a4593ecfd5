import { loadConfig } from '@onecard/kernel';
import { TuyaBridgeConfig } from './config';

const BASE = { ADMIN_TOKEN: 'x'.repeat(16) };
const TUYA = { TUYA_CLIENT_ID: 'txq8mwyw3cfp7kn9jd4r', TUYA_CLIENT_SECRET: 'c0ffee5eed2b4a9e8d7c6b5a49382716', TUYA_PROJECT_IDS: 'P1,P2,P1' };

describe('TuyaBridgeConfig', () => {
  it('runs without Tuya when none of the credentials is set', () => {
    const config = loadConfig(TuyaBridgeConfig, BASE);
    expect(config.tuyaConfigured).toBe(false);
    expect(config.tuyaProjectIds).toEqual([]);
    expect(config).toMatchObject({ TUYA_ENDPOINT: 'https://openapi.tuyacn.com', TUYA_SYNC_INTERVAL_S: 300, TUYA_PAGE_SIZE: 50 });
  });

  it('reads the credentials and the project list', () => {
    const config = loadConfig(TuyaBridgeConfig, { ...BASE, ...TUYA, TUYA_SYNC_INTERVAL_S: '0' });
    expect(config.tuyaConfigured).toBe(true);
    expect(config.tuyaProjectIds).toEqual(['P1', 'P2']);
    expect(config.TUYA_SYNC_INTERVAL_S).toBe(0);
  });

  it('refuses half a configuration and bad values, naming the variable and never echoing the secret', () => {
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig(TuyaBridgeConfig, { ...BASE, ...env });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused({ TUYA_CLIENT_ID: TUYA.TUYA_CLIENT_ID })).toBe('Invalid configuration: TUYA_CLIENT_SECRET is required');
    expect(refused({ TUYA_CLIENT_SECRET: TUYA.TUYA_CLIENT_SECRET, TUYA_PROJECT_IDS: 'P1' })).toBe('Invalid configuration: TUYA_CLIENT_ID is required');
    expect(refused({ ...TUYA, TUYA_CLIENT_SECRET: 'short-secret' })).toBe('Invalid configuration: TUYA_CLIENT_SECRET must be 16-128 printable ASCII characters');
    expect(refused({ ...TUYA, TUYA_PROJECT_IDS: 'P1, P2' })).toMatch(/^Invalid configuration: TUYA_PROJECT_IDS must be project ids separated by commas/);
    expect(refused({ ...TUYA, TUYA_ENDPOINT: 'openapi.tuyacn.com' })).toMatch(/^Invalid configuration: TUYA_ENDPOINT must be an http\(s\) URL/);
    expect(refused({ ...TUYA, TUYA_SYNC_INTERVAL_S: '-1' })).toMatch(/^Invalid configuration: TUYA_SYNC_INTERVAL_S must be an integer/);
    expect(refused({ ...TUYA, TUYA_CLIENT_SECRET: 'secret with spaces in it!' })).not.toContain('spaces');
  });
});
