import { loadConfig } from '@onecard/kernel';
import { OperatorConsoleConfig } from './config';

const env = { ADMIN_TOKEN: 'admin-token-0123456789', CONSOLE_TOKEN: 'console-token-0123456789' };

describe('OperatorConsoleConfig', () => {
  it('defaults each app to its port on this machine', () => {
    expect(loadConfig(OperatorConsoleConfig, env).appUrls()).toEqual({
      'card-issuance': 'http://127.0.0.1:3001',
      'transit-validation': 'http://127.0.0.1:3002',
      'campus-card': 'http://127.0.0.1:3003',
      'wage-attendance': 'http://127.0.0.1:3004',
      'tuya-bridge': 'http://127.0.0.1:3005',
    });
  });

  it('refuses a bad value naming it', () => {
    expect(() => loadConfig(OperatorConsoleConfig, { ADMIN_TOKEN: env.ADMIN_TOKEN })).toThrow('Invalid configuration: CONSOLE_TOKEN is required');
    expect(() => loadConfig(OperatorConsoleConfig, { ...env, CONSOLE_TOKEN: 'short' })).toThrow('CONSOLE_TOKEN must be at least 16 characters');
    expect(() => loadConfig(OperatorConsoleConfig, { ...env, CONSOLE_WAGE_ATTENDANCE_URL: 'ftp://x' })).toThrow('CONSOLE_WAGE_ATTENDANCE_URL must be an http(s) URL');
    expect(() => loadConfig(OperatorConsoleConfig, { ...env, CONSOLE_UPSTREAM_TIMEOUT_MS: '5s' })).toThrow('CONSOLE_UPSTREAM_TIMEOUT_MS must be an integer from 100 to 120000');
  });
});
