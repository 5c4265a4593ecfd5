import { Logger } from '@nestjs/common';
import { BaseConfig } from './base-config';
import { HEX_KEY_LIST, keyOrDevelopmentKey, keysOrDevelopmentKey } from './production-keys';

const config = (NODE_ENV: BaseConfig['NODE_ENV']) => Object.assign(new BaseConfig(), { NODE_ENV, ADMIN_TOKEN: 'a-long-enough-admin-token' });

describe('key settings', () => {
  it('reads a list newest first, split on commas only', () => {
    expect(keysOrDevelopmentKey(config('production'), 'K', 'new,old')).toEqual(['new', 'old']);
    expect(keysOrDevelopmentKey(config('production'), 'K', 'one key')).toEqual(['one key']);
  });

  it('derives the one development key from ADMIN_TOKEN when unset, outside production only, with a warning naming the variable', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(keysOrDevelopmentKey(config('development'), 'K', undefined)).toEqual([keyOrDevelopmentKey(config('development'), 'K', undefined)]);
    expect(keysOrDevelopmentKey(config('test'), 'K', '')[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(() => keysOrDevelopmentKey(config('production'), 'K', undefined)).toThrow('K is required in production');
    expect(warn).toHaveBeenCalledWith('K not set: using a development key derived from ADMIN_TOKEN');
    warn.mockRestore();
  });

  it('accepts one 64-hex key or a comma-separated list of them, nothing else', () => {
    const key = 'ab'.repeat(32);
    for (const ok of [key, `${key},${key.toUpperCase()}`]) expect(HEX_KEY_LIST.test(ok)).toBe(true);
    for (const bad of ['', key.slice(2), `${key},`, `,${key}`, `${key}, ${key}`, `${key};${key}`]) expect(HEX_KEY_LIST.test(bad)).toBe(false);
  });
});
