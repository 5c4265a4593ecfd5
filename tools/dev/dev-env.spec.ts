// Guards the launcher against drift: the environment `npm start` gives each app must pass that
// app's own configuration validation, in development and with NODE_ENV=production (where keys
// without a default become required). An app that adds a required variable fails here until
// tools/dev/secrets.ts generates a dev value for it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaseConfig, loadConfig } from '@onecard/kernel';
import { parse } from 'yaml';
import { APPS, childEnv, CONSOLE, consoleEnv } from './plan';
import { completeSecrets } from './secrets';

const root = join(__dirname, '..', '..');

/** The config class an app's config.ts exports (loaded by path: apps have no import alias). */
function configClassOf(app: string): new () => BaseConfig {
  const mod = require(join(root, 'apps', app, 'src', 'config.ts')) as Record<string, unknown>;
  const found = Object.values(mod).find((v) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof BaseConfig);
  if (!found) throw new Error(`apps/${app}/src/config.ts exports no class extending BaseConfig`);
  return found as new () => BaseConfig;
}

describe('the environment npm start gives each app', () => {
  const { secrets } = completeSecrets({});
  const resolved = { databaseUrl: 'postgres://postgres@127.0.0.1:5433/onecard', natsUrl: 'nats://127.0.0.1:4223' };

  it('covers every app in apps/', () => {
    expect(readdirSync(join(root, 'apps')).sort()).toEqual([...APPS.map((a) => a.name), CONSOLE.name].sort());
  });

  it.each(['development', 'production'])('gives the operator console what its config validation needs with NODE_ENV=%s', (nodeEnv) => {
    const config = loadConfig(configClassOf(CONSOLE.name), consoleEnv({ NODE_ENV: nodeEnv }, CONSOLE, APPS, resolved.natsUrl, secrets));
    expect([config.PORT, config.NATS_URL]).toEqual([CONSOLE.port, resolved.natsUrl]);
  });

  describe.each(APPS.map((a) => [a.name, a] as const))('%s', (_name, app) => {
    it.each(['development', 'production'])('passes its config validation with NODE_ENV=%s', (nodeEnv) => {
      const env = childEnv({ NODE_ENV: nodeEnv }, app, resolved, secrets);
      const config = loadConfig(configClassOf(app.name), env);
      expect(config.PORT).toBe(app.port);
    });
  });
});

describe('docker-compose.yml', () => {
  // Compose's required variables (`${NAME:?message}`) get the same dev values the launcher uses.
  const { secrets } = completeSecrets({});
  const substitute = (value: unknown) =>
    String(value).replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, kind?: string, fallback?: string) =>
      secrets[name] ?? (kind === '-' ? (fallback ?? '') : name === 'LOG_LEVEL' ? 'info' : 'placeholder'),
    );
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { build?: { args?: Record<string, string> }; environment?: Record<string, unknown>; ports?: string[]; command?: string[] }>;
  };

  it.each(APPS.map((a) => [a.name, a] as const))('%s: builds its own app and passes its production config validation', (name, app) => {
    const service = compose.services[name];
    expect(service?.build?.args?.APP).toBe(name);
    expect(service.ports).toEqual([`${app.port}:${app.port}`]);
    const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(v)]));
    expect(env.NODE_ENV).toBe('production');
    expect(loadConfig(configClassOf(name), env).PORT).toBe(app.port);
  });

  it('operator-console: builds its own image, holds no database password, and passes its production config validation', () => {
    const service = compose.services[CONSOLE.name];
    expect(service?.build?.args?.APP).toBe(CONSOLE.name);
    expect(service.ports).toEqual([`${CONSOLE.port}:${CONSOLE.port}`]);
    const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(v)]));
    expect(JSON.stringify(env)).not.toMatch(/DATABASE_URL|DB_PASSWORD/);
    const config = loadConfig(configClassOf(CONSOLE.name), env);
    expect([config.PORT, config.NODE_ENV]).toEqual([CONSOLE.port, 'production']);
  });

  it.each(APPS.map((a) => [a.name, a] as const))("%s: logs in as its own role, whose password db-roles sets and no other app holds", (name, app) => {
    const variable = `${app.schema.toUpperCase()}_DB_PASSWORD`;
    const [, user, passwordVariable] = /^postgres:\/\/([^:@]+):\$\{([A-Z_]+):\?[^}]*\}@/.exec(String(compose.services[name].environment?.DATABASE_URL)) ?? [];
    expect([user, passwordVariable]).toEqual([`onecard_${app.schema}`, variable]);
    const roles = compose.services['db-roles'];
    expect(roles.command?.slice(-APPS.length)).toEqual(APPS.map((a) => a.schema));
    expect(roles.environment?.[variable]).toEqual(expect.stringContaining(variable));
    for (const [other, service] of Object.entries(compose.services)) {
      const holds = JSON.stringify(service.environment ?? {});
      if (other !== name && other !== 'db-roles') expect(holds).not.toContain(variable);
      if (other !== 'postgres' && other !== 'db-roles') expect(holds).not.toContain('POSTGRES_PASSWORD');
    }
  });
});
