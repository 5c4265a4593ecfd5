import { randomBytes } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { provisionAppRole, urlForRole } from '@onecard/platform';
import { ensureTestDatabase, queryAs, startTestApp, TEST_DATABASE_URL } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { campusEnv, createClient, createUser, openCard, userToken } from './support/campus';

describe('campus-card: connecting as a role of its own', () => {
  const tag = randomBytes(4).toString('hex');
  const schema = `campus_card_r${tag}`;
  const role = `onecard_${schema}`;

  beforeAll(async () => {
    await ensureTestDatabase();
  });
  afterAll(async () => {
    await queryAs(TEST_DATABASE_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await queryAs(TEST_DATABASE_URL, `DROP ROLE IF EXISTS ${role}`);
  });

  it('migrates its schema and serves (OAuth2, the ledger, the outbox) with nothing beyond its own schema', async () => {
    await provisionAppRole(TEST_DATABASE_URL, { schema, password: 'role-password' });
    const app = await startTestApp(campusCardApp, { env: campusEnv({ DB_SCHEMA: schema, DATABASE_URL: urlForRole(TEST_DATABASE_URL, role, 'role-password') }), keepSchema: true });
    try {
      const [{ current_user: user }] = await app.db.query('SELECT current_user');
      expect(user).toBe(role);
      const opened = app.bus.collect(Events.AccountOpened);
      const client = await createClient(app);
      const manager = await userToken(app, client, await createUser(app), ['manage_card']);
      const holder = await createUser(app);
      const cardNo = await openCard(app, manager, holder.userCode, { free: true, openAmount: 3 });
      expect((await app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M', merchant: 'm', system: 's', amount: 1 })).body.entities[0].cardBalance).toBe(2);
      expect(await opened.waitFor(1)).toEqual([expect.objectContaining({ cardNo })]);
      const owners = await queryAs(TEST_DATABASE_URL, `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = to_regnamespace($1)`, [schema]);
      expect(owners).toEqual([{ owner: role }]);
    } finally {
      await app.close();
    }
  });
});
