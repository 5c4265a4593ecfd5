import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { call, campusEnv, clientToken, createClient, createUser, failure, openCard, paymentNotice, TestUser, userToken, wireNow } from './support/campus';

const TABLES = ['campus_user', 'card_account', 'physical_card', 'ledger_entry', 'recharge_order', 'transfer_order', 'found_card_report', 'user_photo', 'oauth_client', 'unmatched_card_issue', 'outbox'];

async function snapshot(app: TestApp): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const table of TABLES) out[table] = await app.db.query(`SELECT * FROM ${table} ORDER BY 1`);
  return JSON.stringify(out);
}

type Case = [label: string, send: () => ReturnType<typeof call>, errno: number, message: string | RegExp];

/**
 * Bad input on every documented and operator call: missing, wrong type, oversized, malformed,
 * unknown user or card — each answered in the card API's envelope naming the field, and nothing
 * stored anywhere.
 */
describe('campus-card: bad input changes nothing', () => {
  let app: TestApp;
  let user: TestUser;
  let cardNo: string;
  let token: string;
  let manager: string;
  let service: string;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv({ BODY_LIMIT: '65536' }) });
    const client = await createClient(app, { allowTransfer: true });
    const operator = await createUser(app);
    manager = await userToken(app, client, operator, ['manage_card']);
    user = await createUser(app);
    cardNo = await openCard(app, manager, user.userCode, { free: true, openAmount: 10 });
    token = await userToken(app, client, user);
    service = await clientToken(app, client);
  });
  afterAll(async () => {
    await app?.close();
  });

  const json = (method: string, path: string, t: string, body: unknown) => app.http(method, `${path}?access_token=${t}`, body);

  it('documented calls', async () => {
    const cases: Case[] = [
      ['open: userCode a number array', () => json('PUT', '/v1/me/card', manager, { userCode: [1], cardType: '800', expireDate: '20301231' }), 400, 'userCode must be a string'],
      ['open: cardType missing', () => json('PUT', '/v1/me/card', manager, { userCode: user.userCode, expireDate: '20301231' }), 400, 'cardType must be 800 (正式卡) or 801 (临时卡)'],
      ['open: openAmount an object', () => json('PUT', '/v1/me/card', manager, { userCode: user.userCode, cardType: '801', expireDate: '20301231', openAmount: { yuan: 1 } }), 400, /^openAmount must be an amount in yuan/],
      ['open: openAmount huge', () => json('PUT', '/v1/me/card', manager, { userCode: user.userCode, cardType: '801', expireDate: '20301231', openAmount: 1e12 }), 400, /^openAmount must be an amount in yuan with at most two decimals, from 0 to 100000$/],
      ['open: unknown user', () => call(app, 'PUT', '/v1/me/card', manager, { userCode: 'GHOST', cardType: '801', expireDate: '20301231' }), 404, 'userCode: no user GHOST'],
      ['open: NUL in userCode', () => json('PUT', '/v1/me/card', manager, { userCode: 'a\u0000b', cardType: '801', expireDate: '20301231' }), 400, 'userCode: must not contain the NUL character (\\u0000)'],
      ['identity: userCode too long', () => call(app, 'GET', '/v1/me/card/user', manager, { userCode: 'u'.repeat(65) }), 400, /^userCode must be/],
      ['set: queryPassword a number', () => json('POST', '/v1/me/card', token, { cardNo, queryPassword: 123456, lost: true }), 400, 'queryPassword must be a string'],
      ['set: lost a string', () => json('POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, lost: 'yes' }), 400, 'lost must be true or false'],
      ['set: unknown card', () => call(app, 'POST', '/v1/me/card', token, { cardNo: '777', queryPassword: user.queryPassword, lost: true }), 404, 'cardNo: no card 777'],
      ['set: newPassword too long', () => call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, newPassword: 'p'.repeat(33) }), 400, 'newPassword must be at most 32 characters'],
      ['transactions: beginDate a float', () => call(app, 'GET', '/v1/me/card/transactions', token, { cardNo, beginDate: '1.5' }), 400, 'beginDate must be an integer'],
      ['transactions: unknown card', () => call(app, 'GET', '/v1/me/card/transactions', token, { cardNo: '777', beginDate: 0 }), 404, 'cardNo: no card 777'],
      ['photo get: cardNo malformed', () => call(app, 'GET', '/v1/me/card/photo', token, { cardNo: '12 34' }), 400, 'cardNo must be 1-32 letters or digits'],
      ['photo update: photo a number', () => json('POST', '/v1/me/card/photo', token, { cardNo, photo: 12345 }), 400, 'photo must be a string'],
      ['photo update: unknown card', () => call(app, 'POST', '/v1/me/card/photo', token, { cardNo: '777', photo: 'AAAA' }), 404, 'cardNo: no card 777'],
      ['recharge: amount a string', () => call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: 'ten' }), 400, /^amount must be a whole number of yuan/],
      ['recharge: amount negative', () => json('POST', '/v1/me/card/recharge', token, { cardNo, amount: -10 }), 400, /^amount must be a whole number of yuan/],
      ['recharge query: cardNo missing', () => call(app, 'GET', '/v1/me/card/recharge', token, {}), 400, 'cardNo is required'],
      ['notify: id with letters', () => call(app, 'POST', '/v1/payment/notify', undefined, { ...paymentNotice({ id: '12a', amount: '1.00', payTime: wireNow(), status: 'SUCCESS' }) }), 400, 'id must be the order id (digits)'],
      ['notify: everything missing', () => call(app, 'POST', '/v1/payment/notify', undefined, {}), 400, 'id is required'],
      ['found: name oversized', () => call(app, 'POST', '/v1/card/foundLostCard', service, { name: 'n'.repeat(65), code: user.userCode, cardNo, msg: 'm' }), 400, 'name must be at most 64 characters'],
      ['found: unknown card', () => call(app, 'POST', '/v1/card/foundLostCard', service, { name: 'n', code: user.userCode, cardNo: '777', msg: 'm' }), 404, `cardNo: no card 777 held by ${user.userCode}`],
      ['freeze: frozen a number', () => json('POST', '/v1/card', service, { cardNo, frozen: 1 }), 400, 'frozen must be true or false'],
      ['lookup: cardId odd length', () => call(app, 'GET', '/v1/card', service, { cardId: 'ABCDEF012' }), 400, 'cardId must be the physical card id: 4 to 10 bytes of hex'],
      ['transfer: amount three decimals', () => call(app, 'POST', '/v1/me/card/transfer', token, { cardNo, queryPassword: user.queryPassword, amount: '0.001' }), 400, /^amount must be an amount in yuan/],
      ['transfer: queryPassword oversized', () => call(app, 'POST', '/v1/me/card/transfer', token, { cardNo, queryPassword: 'q'.repeat(33), amount: 1 }), 400, 'queryPassword must be at most 32 characters'],
      ['a body beyond BODY_LIMIT', () => call(app, 'POST', '/v1/me/card/photo', token, { cardNo, photo: 'A'.repeat(70_000) }), 413, 'body: request body too large'],
      ['malformed JSON', () => app.http('POST', `/v1/me/card?access_token=${token}`, '{"cardNo":', { 'content-type': 'application/json' }), 400, 'body: malformed JSON'],
      ['an unknown path', () => app.http('GET', `/v1/me/cards?access_token=${token}`), 404, 'no such path'],
    ];
    const before = await snapshot(app);
    for (const [label, send, errno, message] of cases) {
      const res = await send();
      try {
        failure(res, errno, message);
      } catch (error) {
        throw new Error(`${label}: ${(error as Error).message}`);
      }
    }
    expect(await snapshot(app)).toBe(before);
  });

  it('operator calls', async () => {
    const cases: Case[] = [
      ['users: userCode with a space', () => app.admin('POST', '/admin/users', { userCode: 'A B', name: 'x', queryPassword: '1234' }), 400, 'userCode must be 1-64 of A-Z a-z 0-9 _ . -'],
      ['users: queryPassword missing', () => app.admin('POST', '/admin/users', { userCode: 'NEW1', name: 'x' }), 400, 'queryPassword is required'],
      ['users: name too long', () => app.admin('POST', '/admin/users', { userCode: 'NEW1', name: 'n'.repeat(65), queryPassword: '1234' }), 400, 'name must be at most 64 characters'],
      ['users: an unknown field', () => app.admin('POST', '/admin/users', { userCode: 'NEW1', name: 'x', queryPassword: '1234', role: 'admin' }), 400, 'role: unknown field'],
      ['users: existing user', () => app.admin('POST', '/admin/users', { userCode: user.userCode, name: 'x', queryPassword: '1234' }), 409, `userCode: user ${user.userCode} already exists`],
      ['clients: scope unknown', () => app.admin('POST', '/admin/clients', { clientId: 'c1', clientSecret: 's'.repeat(20), scopes: ['all'], grants: ['client_credentials'] }), 400, /^scopes must each be one of card_info/],
      ['clients: grant unknown', () => app.admin('POST', '/admin/clients', { clientId: 'c1', clientSecret: 's'.repeat(20), scopes: ['card_info'], grants: ['password'] }), 400, /^grants must each be one of authorization_code/],
      ['clients: code grant without redirect', () => app.admin('POST', '/admin/clients', { clientId: 'c1', clientSecret: 's'.repeat(20), scopes: ['card_info'], grants: ['authorization_code'] }), 400, /^redirectUris must be a list of URLs/],
      ['clients: short secret', () => app.admin('POST', '/admin/clients', { clientId: 'c1', clientSecret: 'short', scopes: ['card_info'], grants: ['client_credentials'] }), 400, 'clientSecret must be 16-256 printable ASCII characters without spaces'],
      ['clients: allowTransfer a string', () => app.admin('POST', '/admin/clients', { clientId: 'c1', clientSecret: 's'.repeat(20), scopes: ['card_info'], grants: ['client_credentials'], allowTransfer: 'yes' }), 400, 'allowTransfer must be true or false'],
      ['bind: cardId not hex', () => app.admin('POST', `/admin/cards/${cardNo}/bind`, { cardId: 'nothex!!' }), 400, 'cardId must be the physical card id: 4 to 10 bytes of hex'],
      ['bind: unknown card', () => app.admin('POST', '/admin/cards/777/bind', { cardId: 'A1B2C3D4' }), 404, 'cardNo: no card 777'],
      ['pos: amount missing', () => app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M', merchant: 'm', system: 's' }), 400, /^amount must be an amount in yuan/],
      ['pos: merchant a number', () => app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M', merchant: 5, system: 's', amount: 1 }), 400, 'merchant must be a string'],
      ['pos: unknown card', () => app.admin('POST', '/admin/transactions', { cardNo: '777', merchantNo: 'M', merchant: 'm', system: 's', amount: 1 }), 404, 'cardNo: no card 777'],
      ['photo: unknown user', () => app.admin('PUT', '/admin/users/GHOST/photo', { photo: 'AAAA' }), 404, 'userCode: no user GHOST'],
      ['transfers: not an id', () => app.admin('POST', '/admin/transfers/abc/refund'), 404, 'id: no transfer order abc'],
      ['card issues: unknown', () => app.admin('POST', '/admin/card-issues/00000000-0000-0000-0000-000000000000/retry'), 404, 'eventId: no open card issue 00000000-0000-0000-0000-000000000000'],
    ];
    const before = await snapshot(app);
    for (const [label, send, errno, message] of cases) {
      const res = await send();
      try {
        failure(res, errno, message);
      } catch (error) {
        throw new Error(`${label}: ${(error as Error).message}`);
      }
    }
    expect(await snapshot(app)).toBe(before);
  });
});
