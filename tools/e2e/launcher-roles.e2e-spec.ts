import { randomBytes } from 'node:crypto';
import { urlForRole } from '@onecard/platform';
import { ensureTestDatabase, queryAs, TEST_DATABASE_URL } from '@onecard/testing';
import { appDatabaseUrls, rolePassword } from '../dev/roles';

/** What `npm start` does before it starts the apps: a role per app, or one login for all. */
describe('npm start: database roles', () => {
  const tag = randomBytes(4).toString('hex');
  const apps = [
    { name: 'card-issuance', port: 3001, schema: `card_issuance_l${tag}` },
    { name: 'transit-validation', port: 3002, schema: `transit_validation_l${tag}` },
  ];
  const plain = `onecard_plain_l${tag}`;
  const said: string[] = [];

  beforeAll(async () => {
    await ensureTestDatabase();
    await queryAs(TEST_DATABASE_URL, `CREATE ROLE ${plain} LOGIN`);
  });
  afterAll(async () => {
    for (const { schema } of apps) await queryAs(TEST_DATABASE_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const role of [plain, ...apps.map((a) => `onecard_${a.schema}`)]) await queryAs(TEST_DATABASE_URL, `DROP ROLE IF EXISTS ${role}`);
  });

  it("gives each app its own role's URL, each role owning only its schema", async () => {
    const urls = await appDatabaseUrls(apps, TEST_DATABASE_URL, 'k'.repeat(64), (line) => said.push(line));
    for (const app of apps) {
      const role = `onecard_${app.schema}`;
      expect(urls.get(app.name)).toBe(urlForRole(TEST_DATABASE_URL, role, rolePassword('k'.repeat(64), role)));
      expect(await queryAs(urls.get(app.name)!, 'SELECT current_user AS who')).toEqual([{ who: role }]);
      expect(await queryAs(TEST_DATABASE_URL, 'SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1', [app.schema])).toEqual([{ owner: role }]);
    }
    await queryAs(urls.get('card-issuance')!, `CREATE TABLE ${apps[0].schema}.kiosk (id int)`);
    await expect(queryAs(urls.get('transit-validation')!, `SELECT * FROM ${apps[0].schema}.kiosk`)).rejects.toMatchObject({ code: '42501' });
    expect(said.at(-1)).toMatch(/each app logs in as its own role/);
  });

  it('falls back to the one login for every app when that user may not create roles', async () => {
    const ordinary = urlForRole(TEST_DATABASE_URL, plain);
    const urls = await appDatabaseUrls(apps, ordinary, 'k'.repeat(64), (line) => said.push(line));
    expect([...urls.values()]).toEqual([ordinary, ordinary]);
    expect(said.at(-1)).toMatch(new RegExp(`^${plain} may not create roles .*: every app logs in as ${plain}$`));
  });
});
