import { BaseConfig } from './base-config';
import { EnvInt } from './env-int';
import { ConfigError, loadConfig } from './load-config';

class ExampleConfig extends BaseConfig {
  @EnvInt({ min: 1 })
  WIDGETS = 3;
}

const valid = { ADMIN_TOKEN: 'a-long-enough-token', DATABASE_URL: 'postgres://u@db:5432/onecard' };

describe('loadConfig', () => {
  it('applies defaults, app defaults and the environment, converting numbers', () => {
    const config = loadConfig(ExampleConfig, { ...valid, WIDGETS: '7', UNRELATED: 'x' }, { PORT: 3001, DB_SCHEMA: 'example' });
    expect(config.WIDGETS).toBe(7);
    expect(config.DB_POOL_SIZE).toBe(10);
    expect(config.PORT).toBe(3001);
    expect(config.DB_SCHEMA).toBe('example');
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.NATS_STREAM_REPLICAS).toBe(1);
    expect((config as unknown as Record<string, unknown>).UNRELATED).toBeUndefined();
  });

  it('reads NATS_STREAM_REPLICAS from 1 to 5 (a cluster of three keeps three copies of each event)', () => {
    expect(loadConfig(ExampleConfig, { ...valid, NATS_STREAM_REPLICAS: '3' }).NATS_STREAM_REPLICAS).toBe(3);
    expect(loadConfig(ExampleConfig, { ...valid, NATS_STREAM_REPLICAS: '5' }).NATS_STREAM_REPLICAS).toBe(5);
  });

  it.each([
    [{ ...valid, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'Invalid configuration: DATABASE_URL must be a postgres://user@host:port/database URL'],
    [{ DATABASE_URL: valid.DATABASE_URL }, 'ADMIN_TOKEN', 'Invalid configuration: ADMIN_TOKEN is required'],
    [{ ...valid, ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN', 'Invalid configuration: ADMIN_TOKEN must be at least 16 characters'],
    [{ ...valid, NATS_URL: 'http://x' }, 'NATS_URL', expect.stringContaining('NATS_URL')],
    [{ ...valid, PORT: 'eighty' }, 'PORT', 'Invalid configuration: PORT must be an integer from 0 to 65535'],
    [{ ...valid, PORT: '65536' }, 'PORT', 'Invalid configuration: PORT must be an integer from 0 to 65535'],
    [{ ...valid, DB_POOL_SIZE: '2.5' }, 'DB_POOL_SIZE', 'Invalid configuration: DB_POOL_SIZE must be an integer from 1 to 200'],
    [{ ...valid, DB_POOL_SIZE: ' 4' }, 'DB_POOL_SIZE', 'Invalid configuration: DB_POOL_SIZE must be an integer from 1 to 200'],
    [{ ...valid, BODY_LIMIT: '9007199254740993' }, 'BODY_LIMIT', 'Invalid configuration: BODY_LIMIT must be an integer of at least 1024'],
    [{ ...valid, NATS_STREAM_REPLICAS: '0' }, 'NATS_STREAM_REPLICAS', 'Invalid configuration: NATS_STREAM_REPLICAS must be an integer from 1 to 5'],
    [{ ...valid, NATS_STREAM_REPLICAS: '6' }, 'NATS_STREAM_REPLICAS', 'Invalid configuration: NATS_STREAM_REPLICAS must be an integer from 1 to 5'],
    [{ ...valid, NATS_STREAM_REPLICAS: 'three' }, 'NATS_STREAM_REPLICAS', 'Invalid configuration: NATS_STREAM_REPLICAS must be an integer from 1 to 5'],
    [{ ...valid, WIDGETS: '0' }, 'WIDGETS', 'Invalid configuration: WIDGETS must be an integer of at least 1'],
    [{ ...valid, WIDGETS: '-3' }, 'WIDGETS', 'Invalid configuration: WIDGETS must be an integer of at least 1'],
  ])('names the bad variable (%#)', (env, variable, message) => {
    let error: unknown;
    try {
      loadConfig(ExampleConfig, env as Record<string, string>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toEqual(message);
  });
});
