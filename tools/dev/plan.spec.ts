import { APPS, appsFor, childEnv, CONSOLE, consoleEnv, consoleFor, decideLocal, isLocalHost, maskUrl, parseNatsUrl, parsePostgresUrl, withHostPort } from './plan';

describe('appsFor', () => {
  it('keeps the default ports without DEV_PORT_BASE', () => {
    expect(appsFor({}).map((a) => a.port)).toEqual([3001, 3002, 3003, 3004, 3005]);
  });
  it('moves the five apps to base+1 … base+5, in order', () => {
    expect(appsFor({ DEV_PORT_BASE: '4000' }).map((a) => [a.name, a.port])).toEqual(APPS.map((a, i) => [a.name, 4001 + i]));
  });
  it.each(['abc', '4000.5', '-1', '80', '65530'])('refuses DEV_PORT_BASE=%s, naming it', (raw) => {
    expect(() => appsFor({ DEV_PORT_BASE: raw })).toThrow(`DEV_PORT_BASE must be a whole number from 1024 to 65529, got ${raw}`);
  });
});

describe('the operator console', () => {
  it('listens on 3006, or DEV_PORT_BASE + 6 after the apps', () => {
    expect(consoleFor({})).toEqual({ name: 'operator-console', port: 3006 });
    expect(consoleFor({ DEV_PORT_BASE: '4000' }).port).toBe(4006);
    expect(() => consoleFor({ DEV_PORT_BASE: '65530' })).toThrow('DEV_PORT_BASE must be a whole number from 1024 to 65529');
  });
  it('is told where each app listens, NATS, its port and the tokens, never the launcher\'s own key', () => {
    const env = consoleEnv({ PORT: '9999', LOG_LEVEL: 'debug' }, { ...CONSOLE, port: 4006 }, appsFor({ DEV_PORT_BASE: '4000' }), 'nats://127.0.0.1:4223', {
      ADMIN_TOKEN: 'dev-token-abcdefgh', CONSOLE_TOKEN: 'dev-console-token', DB_ROLE_KEY: 'k'.repeat(64),
    });
    expect(env).toEqual({
      LOG_LEVEL: 'debug', PORT: '4006', NATS_URL: 'nats://127.0.0.1:4223', ADMIN_TOKEN: 'dev-token-abcdefgh', CONSOLE_TOKEN: 'dev-console-token',
      CONSOLE_CARD_ISSUANCE_URL: 'http://127.0.0.1:4001', CONSOLE_TRANSIT_VALIDATION_URL: 'http://127.0.0.1:4002', CONSOLE_CAMPUS_CARD_URL: 'http://127.0.0.1:4003',
      CONSOLE_WAGE_ATTENDANCE_URL: 'http://127.0.0.1:4004', CONSOLE_TUYA_BRIDGE_URL: 'http://127.0.0.1:4005',
    });
  });
});

describe('isLocalHost', () => {
  it.each(['localhost', '127.0.0.1', '127.0.1.1', '::1', '[::1]', 'LOCALHOST'])('%s is this machine', (host) => expect(isLocalHost(host)).toBe(true));
  it.each(['db', 'db.example.com', '10.0.0.5', '128.0.0.1'])('%s is not', (host) => expect(isLocalHost(host)).toBe(false));
});

describe('parsePostgresUrl', () => {
  it('reads host, port, user, password and database', () => {
    expect(parsePostgresUrl('postgres://app:s%40cret@db:6543/onecard?sslmode=disable')).toEqual({ host: 'db', port: 6543, user: 'app', password: 's@cret', database: 'onecard' });
  });
  it('defaults the port to 5432 and the user to postgres', () => {
    expect(parsePostgresUrl('postgresql://127.0.0.1/onecard')).toMatchObject({ port: 5432, user: 'postgres', password: '' });
  });
  it('refuses another scheme and a missing database', () => {
    expect(() => parsePostgresUrl('mysql://x@h/db')).toThrow(/postgres:\/\//);
    expect(() => parsePostgresUrl('postgres://postgres@127.0.0.1:5432')).toThrow(/names no database/);
  });
});

describe('parseNatsUrl', () => {
  it('splits a cluster list and defaults the port', () => {
    expect(parseNatsUrl('nats://a:4222, nats://b , c:5000')).toEqual([
      { host: 'a', port: 4222 },
      { host: 'b', port: 4222 },
      { host: 'c', port: 5000 },
    ]);
  });
});

describe('withHostPort / maskUrl', () => {
  it('moves a URL to the port the local server got, keeping user, database and query', () => {
    expect(withHostPort('postgres://postgres@localhost:5432/onecard?x=1', '127.0.0.1', 5433)).toBe('postgres://postgres@127.0.0.1:5433/onecard?x=1');
    expect(withHostPort('nats://127.0.0.1:4222', '127.0.0.1', 4999)).toBe('nats://127.0.0.1:4999');
  });
  it('never shows a password', () => {
    expect(maskUrl('postgres://app:secret@db:5432/onecard')).toBe('postgres://app:***@db:5432/onecard');
    expect(maskUrl('postgres://postgres@db:5432/onecard')).toBe('postgres://postgres@db:5432/onecard');
  });
});

describe('decideLocal', () => {
  const base = { what: 'DATABASE_URL' as const, devPort: 5433 };
  it('keeps the port of an explicitly configured local URL', () => {
    const url = 'postgres://postgres@127.0.0.1:5999/onecard';
    expect(decideLocal({ ...base, url, explicit: true, endpoints: [parsePostgresUrl(url)] })).toEqual({ kind: 'start', port: 5999, anyPort: false });
  });
  it('uses the dev port, or any free one, when the default URL does not answer', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/onecard';
    expect(decideLocal({ ...base, url, explicit: false, endpoints: [parsePostgresUrl(url)] })).toEqual({ kind: 'start', port: 5433, anyPort: true });
  });
  it('never stands in for a remote server', () => {
    const url = 'postgres://app:secret@db.example.com:5432/onecard';
    const decision = decideLocal({ ...base, url, explicit: true, endpoints: [parsePostgresUrl(url)] });
    expect(decision.kind).toBe('fail');
    expect(decision.kind === 'fail' && decision.reason).toMatch(/not on this machine/);
    expect(decision.kind === 'fail' && decision.reason).not.toContain('secret');
  });
  it('does not start one server for a cluster list', () => {
    const url = 'nats://127.0.0.1:4222,nats://127.0.0.1:4223';
    expect(decideLocal({ what: 'NATS_URL', url, explicit: true, endpoints: parseNatsUrl(url), devPort: 4223 }).kind).toBe('fail');
  });
});

describe('childEnv', () => {
  const app = APPS[1];
  const resolved = { databaseUrl: 'postgres://postgres@127.0.0.1:5433/onecard', natsUrl: 'nats://127.0.0.1:4223' };

  it('gives each app its port and the resolved URLs, over whatever the shell had', () => {
    const env = childEnv({ PORT: '9999', DB_SCHEMA: 'shared', DATABASE_URL: 'postgres://x@h/db', LOG_LEVEL: 'debug' }, app, resolved, {});
    expect(env).toMatchObject({ PORT: '3002', DATABASE_URL: resolved.databaseUrl, NATS_URL: resolved.natsUrl, LOG_LEVEL: 'debug' });
    expect(env.DB_SCHEMA).toBeUndefined();
  });
  it('fills dev secrets only where the environment has none', () => {
    const env = childEnv({ ADMIN_TOKEN: 'from-the-shell-1234', OTHER: '' }, app, resolved, { ADMIN_TOKEN: 'dev-token-abcdefgh', OTHER: 'dev', MORE: 'dev2' });
    expect(env).toMatchObject({ ADMIN_TOKEN: 'from-the-shell-1234', OTHER: 'dev', MORE: 'dev2' });
  });
  it("keeps the launcher's own key out of every app's environment", () => {
    const env = childEnv({}, app, resolved, { ADMIN_TOKEN: 'dev-token-abcdefgh', DB_ROLE_KEY: 'k'.repeat(64) });
    expect(env.ADMIN_TOKEN).toBe('dev-token-abcdefgh');
    expect(env).not.toHaveProperty('DB_ROLE_KEY');
  });
  it('lists the five apps on distinct ports 3001-3005', () => {
    expect(APPS.map((a) => a.port)).toEqual([3001, 3002, 3003, 3004, 3005]);
  });
});
