import { randomBytes } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { provisionAppRole, urlForRole } from '@onecard/platform';
import { ensureTestDatabase, queryAs, startTestApp, TEST_DATABASE_URL } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { ValidatorClient, wireNow } from './validator-client';

const owners = (schema: string) =>
  queryAs(TEST_DATABASE_URL, `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c WHERE c.relnamespace = to_regnamespace($1) UNION SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1`, [schema]).then((rows) => rows.map((r) => r.owner));

describe('transit-validation: connecting as a role of its own', () => {
  const tag = randomBytes(4).toString('hex');
  const schema = `transit_validation_r${tag}`;
  const role = `onecard_${schema}`;
  const other = `card_issuance_r${tag}`;
  const roleUrl = urlForRole(TEST_DATABASE_URL, role, 'role-password');

  beforeAll(async () => {
    await ensureTestDatabase();
    // Another app's schema, as its own role or the administrator would have made it.
    await queryAs(TEST_DATABASE_URL, `CREATE SCHEMA ${other}; CREATE TABLE ${other}.kiosk_secret (secret text); INSERT INTO ${other}.kiosk_secret VALUES ('s')`);
  });
  afterAll(async () => {
    await queryAs(TEST_DATABASE_URL, `DROP SCHEMA IF EXISTS ${other} CASCADE; DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await queryAs(TEST_DATABASE_URL, `DROP ROLE IF EXISTS ${role}`);
  });

  it('takes over a schema an earlier shared login made, migrates and serves as the role, and cannot reach another schema', async () => {
    // An earlier deployment: every app logged in as the administrator.
    const before = await startTestApp(transitValidationApp, { env: { DB_SCHEMA: schema }, keepSchema: true });
    const { secret } = await new ValidatorClient(before, 'BUS-R1', 'L1').register();
    await before.close();
    expect(await owners(schema)).toEqual(['postgres']);

    await provisionAppRole(TEST_DATABASE_URL, { schema, password: 'role-password' });
    // Twice is the same as once (the launcher and compose run it at every start).
    expect(await provisionAppRole(TEST_DATABASE_URL, { schema, password: 'role-password' })).toBe(role);
    expect(await owners(schema)).toEqual([role]);

    const app = await startTestApp(transitValidationApp, { env: { DB_SCHEMA: schema, DATABASE_URL: roleUrl }, keepSchema: true });
    try {
      const [{ current_user: user }] = await app.db.query('SELECT current_user');
      expect(user).toBe(role);
      // The device registered before the hand-over still logs in; new writes and events work.
      const bus = new ValidatorClient(app, 'BUS-R1', 'L1');
      bus.secret = secret;
      await bus.login();
      const checks = app.bus.collect(Events.CardChecked);
      const res = await bus.call('/card_check_log', { req_id: 'r1', card_id: '0A0B0C0E', time: wireNow(), status: 0 });
      expect(res.body).toMatchObject({ ret_code: 0 });
      expect(await checks.waitFor(1)).toEqual([expect.objectContaining({ cardId: '0A0B0C0E', mode: 'offline' })]);
      expect(await owners(schema)).toEqual([role]);

      await expect(queryAs(roleUrl, `SELECT secret FROM ${other}.kiosk_secret`)).rejects.toMatchObject({ code: '42501' });
      await expect(queryAs(roleUrl, `CREATE SCHEMA ${other}_x`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.close();
    }
  });

  it('stops at start-up, naming DATABASE_URL, when its role may not create a missing schema', async () => {
    await queryAs(TEST_DATABASE_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await expect(startTestApp(transitValidationApp, { env: { DB_SCHEMA: schema, DATABASE_URL: roleUrl } })).rejects.toThrow(
      new RegExp(`^DATABASE_URL: .*schema "${schema}" does not exist and this user may not create it`),
    );
    expect(await queryAs(TEST_DATABASE_URL, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toHaveLength(0);
  });
});
