import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { call, campusEnv, createClient, createUser, failure, openCard, SUCCESS, TestClient, userToken } from './support/campus';

/**
 * The operator lists as a console reads them: one page `{total, limit, offset, items}` (the card
 * API envelope's one entity), and a bad page refused naming the field, changing nothing.
 */
describe('campus-card: operator lists', () => {
  let app: TestApp;
  let clients: TestClient[];
  let cardNo: string;
  /** The orders as 提交充值请求 answered them, oldest first. */
  let orders: unknown[];
  const page = (total: number, items: unknown[], limit = 100, offset = 0) => ({ ...SUCCESS, entities: [{ total, limit, offset, items }] });
  const rows = async () => {
    const out: Record<string, unknown> = {};
    for (const table of ['oauth_client', 'recharge_order', 'transfer_order', 'found_card_report', 'unmatched_card_issue', 'outbox']) out[table] = await app.db.query(`SELECT * FROM ${table} ORDER BY 1`);
    return JSON.stringify(out);
  };

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv() });
    clients = [await createClient(app), await createClient(app), await createClient(app)].sort((a, b) => a.clientId.localeCompare(b.clientId));
    const manager = await userToken(app, clients[0], await createUser(app), ['manage_card']);
    const holder = await createUser(app);
    cardNo = await openCard(app, manager, holder.userCode, { free: true });
    const token = await userToken(app, clients[0], holder, ['write_card_info']);
    orders = [];
    for (const amount of ['10.0', '20.0', '30.0']) orders.push((await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount })).body.entities[0]);
  });
  afterAll(() => app?.close());

  it('lists the OAuth2 clients in clientId order, paged, never their secrets', async () => {
    const view = (client: TestClient) => ({
      clientId: client.clientId, redirectUris: [client.redirectUri], scopes: ['card_info', 'manage_card', 'card_transactions', 'write_card_info', 'privacy'],
      grants: ['authorization_code', 'client_credentials', 'refresh_token'], allowTransfer: false, createdAt: expect.any(String),
    });
    const all = await app.admin('GET', '/admin/clients');
    expect(all.body).toEqual(page(3, clients.map(view)));
    for (const client of clients) expect(all.text).not.toContain(client.clientSecret);
    expect((await app.admin('GET', '/admin/clients?limit=1&offset=1')).body).toEqual(page(3, [view(clients[1])], 1, 1));
    expect((await app.admin('GET', '/admin/clients?offset=3')).body).toEqual(page(3, [], 100, 3));
  });

  it('lists recharge orders newest first, by card and status, with the total of all that match', async () => {
    expect(orders).toEqual([expect.objectContaining({ cardNo, applyAmount: 10 }), expect.objectContaining({ applyAmount: 20 }), expect.objectContaining({ applyAmount: 30 })]);
    const [ten, twenty, thirty] = orders;
    expect((await app.admin('GET', `/admin/recharge-orders?cardNo=${cardNo}`)).body).toEqual(page(3, [thirty, twenty, ten]));
    expect((await app.admin('GET', `/admin/recharge-orders?cardNo=${cardNo}&status=PAY_PENDING&limit=2&offset=1`)).body).toEqual(page(3, [twenty, ten], 2, 1));
    expect((await app.admin('GET', '/admin/recharge-orders?status=RECHARGED')).body).toEqual(page(0, []));
  });

  it('refuses a bad page on every list in the card API envelope, naming the field, and changes nothing', async () => {
    const before = await rows();
    for (const list of ['/admin/clients', '/admin/recharge-orders', '/admin/transfers', '/admin/found-cards', '/admin/card-issues']) {
      failure(await app.admin('GET', `${list}?limit=1001`), 400, 'limit must be at most 1000');
      failure(await app.admin('GET', `${list}?limit=0`), 400, 'limit must be 1 or more');
      failure(await app.admin('GET', `${list}?offset=-5`), 400, 'offset must be 0 or more');
      failure(await app.admin('GET', `${list}?cursor=9`), 400, 'cursor: unknown field');
    }
    failure(await app.admin('GET', '/admin/found-cards?cardNo=no%20such'), 400, 'cardNo must be 1-32 letters or digits');
    expect(await rows()).toBe(before);
  });
});
