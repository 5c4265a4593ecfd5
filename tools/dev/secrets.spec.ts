import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeSecrets, DEV_SECRET_GENERATORS, loadDevSecrets } from './secrets';

const fixed = (size: number) => Buffer.alloc(size, 0xab);

describe('completeSecrets', () => {
  it('generates every missing value and keeps existing ones', () => {
    const { secrets, added } = completeSecrets({ ADMIN_TOKEN: 'kept-from-last-run' }, { ADMIN_TOKEN: () => 'new', KEY: (r) => r(2).toString('hex') }, fixed);
    expect(secrets).toEqual({ ADMIN_TOKEN: 'kept-from-last-run', KEY: 'abab' });
    expect(added).toEqual(['KEY']);
  });
  it('makes values in the shapes the apps validate', () => {
    const { secrets } = completeSecrets({});
    expect(secrets.ADMIN_TOKEN.length).toBeGreaterThanOrEqual(16);
    expect(secrets.MACHINE_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.CARD_MASTER_KEYS).toMatch(/^demo:[0-9a-f]{32}$/);
    expect(Object.keys(secrets).sort()).toEqual(Object.keys(DEV_SECRET_GENERATORS).sort());
  });
});

describe('loadDevSecrets', () => {
  it('writes the file once (owner-only) and returns the same values on the next run', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dev-secrets-')), '.data', 'dev-secrets.json');
    const first = loadDevSecrets(file);
    expect(first.added.length).toBeGreaterThan(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadDevSecrets(file);
    expect(second).toEqual({ secrets: first.secrets, added: [] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.secrets);
  });
  it('refuses a corrupt file instead of silently replacing keys', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dev-secrets-')), 'dev-secrets.json');
    writeFileSync(file, '{oops');
    expect(() => loadDevSecrets(file)).toThrow(/not valid JSON/);
  });
});
