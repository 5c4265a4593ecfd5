import { ConfigError, loadConfig } from '@onecard/kernel';
import { CardIssuanceConfig } from './config';

const base = { ADMIN_TOKEN: 'x'.repeat(20) };
const KEY = '00112233445566778899aabbccddeeff';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(CardIssuanceConfig, env);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('configuration was accepted');
}

describe('CardIssuanceConfig', () => {
  it('boots in development without keys, with the documented defaults', () => {
    const config = loadConfig(CardIssuanceConfig, base);
    expect(config).toMatchObject({ CARD_ALGORITHM: '3DES', CARD_SM4_MAC_FOLD: 'xor-halves', PICKUP_CODE_TTL_HOURS: 168, PICKUP_MAX_FAILURES: 5, SIGNATURE_MAX_SKEW_MS: 300_000 });
  });

  it('requires the secret key, the pickup code key and the card keys in production', () => {
    const keys = { MACHINE_SECRET_KEY: 'a'.repeat(64), PICKUP_CODE_KEY: 'c'.repeat(64), CARD_MASTER_KEYS: `P1:${KEY}` };
    for (const variable of Object.keys(keys)) {
      const env: Record<string, string> = { ...base, NODE_ENV: 'production', ...keys };
      delete env[variable];
      expect(failure(env).variable).toBe(variable);
    }
    expect(loadConfig(CardIssuanceConfig, { ...base, NODE_ENV: 'production', ...keys }).CARD_MASTER_KEYS).toBe(`P1:${KEY}`);
  });

  it('takes PICKUP_CODE_KEY as one key or a comma-separated list, and names anything else without printing it', () => {
    const [a, b] = ['a'.repeat(64), 'B'.repeat(64)];
    expect(loadConfig(CardIssuanceConfig, { ...base, PICKUP_CODE_KEY: `${b},${a}` }).PICKUP_CODE_KEY).toBe(`${b},${a}`);
    for (const bad of [`${a},`, `${a}, ${b}`, a.slice(1), 'secret']) {
      const error = failure({ ...base, PICKUP_CODE_KEY: bad });
      expect(error.message).toBe('Invalid configuration: PICKUP_CODE_KEY must be 64 hex digits (a 32-byte key), or a comma-separated list of such keys, newest first; required in production');
    }
  });

  it('takes MACHINE_SECRET_KEY as one key or a comma-separated list, and names anything else without printing it', () => {
    const [a, b] = ['a'.repeat(64), 'B'.repeat(64)];
    expect(loadConfig(CardIssuanceConfig, { ...base, MACHINE_SECRET_KEY: `${b},${a}` }).MACHINE_SECRET_KEY).toBe(`${b},${a}`);
    for (const bad of [`${a},`, `${a}, ${b}`, `${a},${a.slice(2)}`, a.slice(1)]) {
      const error = failure({ ...base, MACHINE_SECRET_KEY: bad });
      expect(error.message).toBe('Invalid configuration: MACHINE_SECRET_KEY must be 64 hex digits (a 32-byte key), or a comma-separated list of such keys, newest first; required in production');
    }
  });

  it('names a bad card key setting without printing the key', () => {
    const error = failure({ ...base, CARD_MASTER_KEYS: `P1:${KEY.slice(0, 30)}` });
    expect(error.variable).toBe('CARD_MASTER_KEYS');
    expect(error.message).toMatch(/CARD_MASTER_KEYS key of project P1 must be 32 or 48 hex digits for 3DES/);
    expect(error.message).not.toContain(KEY.slice(0, 30));
    expect(failure({ ...base, CARD_ALGORITHM: 'SM4', CARD_MASTER_KEYS: `P1:${KEY}${KEY.slice(0, 16)}` }).message).toMatch(/32 hex digits for SM4/);
    expect(failure({ ...base, CARD_ALGORITHM: 'AES' }).variable).toBe('CARD_ALGORITHM');
  });

  it('takes the SM4 MAC fold as xor-halves or none, and names it when it is neither', () => {
    expect(loadConfig(CardIssuanceConfig, { ...base, CARD_SM4_MAC_FOLD: 'none' }).CARD_SM4_MAC_FOLD).toBe('none');
    const error = failure({ ...base, CARD_ALGORITHM: 'SM4', CARD_SM4_MAC_FOLD: 'left4' });
    expect(error.variable).toBe('CARD_SM4_MAC_FOLD');
    expect(error.message).toBe('Invalid configuration: CARD_SM4_MAC_FOLD must be xor-halves or none');
  });
});
