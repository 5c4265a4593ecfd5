import { Events } from '@onecard/contracts';
import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import {
  call,
  campusEnv,
  clientToken,
  createClient,
  createUser,
  failure,
  openCard,
  SUCCESS,
  TestClient,
  TestUser,
  userToken,
} from './support/campus';

/** Every business row a refused call must leave alone. */
async function snapshot(app: TestApp): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const table of ['card_account', 'physical_card', 'ledger_entry', 'found_card_report', 'outbox']) {
    out[table] = await app.db.query(`SELECT * FROM ${table} ORDER BY 1`);
  }
  return JSON.stringify(out);
}

describe('campus-card: card calls', () => {
  let app: TestApp & { bus: TestBus };
  let client: TestClient;
  let manager: string;
  let service: string;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv({ OPEN_ACCOUNT_FEE_FEN: '500' }) });
    client = await createClient(app);
    const operator = await createUser(app, { name: '管理员' });
    manager = await userToken(app, client, operator, ['manage_card', 'card_info']);
    service = await clientToken(app, client);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function cardholder(): Promise<{ user: TestUser; token: string; cardNo: string }> {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true });
    return { user, token: await userToken(app, client, user), cardNo };
  }

  describe('校园卡开户 PUT /v1/me/card', () => {
    it('opens an account as the document shows (query parameters), books openAmount and the fee, publishes account.opened', async () => {
      const opened = app.bus.collect(Events.AccountOpened);
      const user = await createUser(app, { name: '测试' });
      const res = await app.http('PUT', `/v1/me/card?access_token=${manager}&userCode=${user.userCode}&cardType=800&expireDate=20301231&openAmount=10.5`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...SUCCESS, entities: [{ user: { name: '测试', code: user.userCode }, cardNo: expect.stringMatching(/^\d+$/), lost: false, frozen: false }] });
      const cardNo = res.body.entities[0].cardNo;
      const ledger = await app.db.query(`SELECT kind, amount_fen, balance_after_fen, description FROM ledger_entry WHERE card_no = $1 ORDER BY id`, [cardNo]);
      expect(ledger).toEqual([
        { kind: 'OPEN_DEPOSIT', amount_fen: '1050', balance_after_fen: '1050', description: '开户存款' },
        { kind: 'OPEN_FEE', amount_fen: '-500', balance_after_fen: '550', description: '开户管理费' },
      ]);
      const [event] = await opened.waitFor(1);
      expect(event).toMatchObject({ producer: 'campus-card', cardNo, userCode: user.userCode, userName: '测试', cardType: '800', expireDate: '20301231' });
      expect(event).not.toHaveProperty('cardId');
      opened.stop();
    });

    it('is idempotent: the same request answers the same account, booking nothing again; another openAmount is refused', async () => {
      const user = await createUser(app);
      const params = { userCode: user.userCode, cardType: '801', expireDate: '20301231', openAmount: 20, free: 'true' };
      const first = await call(app, 'PUT', '/v1/me/card', manager, params);
      const second = await call(app, 'PUT', '/v1/me/card', manager, params);
      expect(second.body).toEqual(first.body);
      const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE card_no = $1`, [first.body.entities[0].cardNo]);
      expect(n).toBe(1);
      failure(await call(app, 'PUT', '/v1/me/card', manager, { ...params, openAmount: 30 }), 409, /^userCode: already has a 801 card \(cardNo \d+\) opened with another openAmount$/);
      // A second type is a second card.
      const formal = await call(app, 'PUT', '/v1/me/card', manager, { ...params, cardType: '800' });
      expect(formal.body.entities[0].cardNo).not.toBe(first.body.entities[0].cardNo);
    });

    it('refuses bad input naming the field, storing nothing', async () => {
      const user = await createUser(app);
      const good = { userCode: user.userCode, cardType: '800', expireDate: '20301231', openAmount: '0' };
      const before = await snapshot(app);
      const cases: Array<[Record<string, string>, number, RegExp]> = [
        [{ ...good, userCode: undefined as unknown as string }, 400, /^userCode is required$/],
        [{ ...good, userCode: 'NO-SUCH-USER' }, 404, /^userCode: no user NO-SUCH-USER$/],
        [{ ...good, cardType: '802' }, 400, /^cardType must be 800 \(正式卡\) or 801 \(临时卡\)$/],
        [{ ...good, expireDate: '2030-12-31' }, 400, /^expireDate must be a date as yyyyMMdd$/],
        [{ ...good, expireDate: '20300231' }, 400, /^expireDate must be a date as yyyyMMdd$/],
        [{ ...good, expireDate: '20200101' }, 400, /^expireDate: must be after today$/],
        [{ ...good, openAmount: 'ten' }, 400, /^openAmount must be an amount in yuan with at most two decimals/],
        [{ ...good, openAmount: '1.005' }, 400, /^openAmount must be an amount in yuan/],
        [{ ...good, openAmount: '-1' }, 400, /^openAmount must be an amount in yuan/],
        [{ ...good, free: 'yes' }, 400, /^free must be true or false$/],
        [{ ...good, openAmount: '1' }, 422, /^openAmount: must cover the account fee of 5\.00 yuan \(or free=true\)$/],
        [{ ...good, userCode: 'x'.repeat(65) }, 400, /^userCode must be at most 64 characters$/],
      ];
      for (const [params, errno, message] of cases) failure(await call(app, 'PUT', '/v1/me/card', manager, params), errno, message);
      expect(await snapshot(app)).toBe(before);
    });
  });

  it('获取校园卡信息: every card of the token user, in the document structure', async () => {
    const user = await createUser(app, { name: '张三', organize: '网络信息中心', userType: 'faculty' });
    const formal = await openCard(app, manager, user.userCode, { openAmount: '10.34' });
    const temporary = await openCard(app, manager, user.userCode, { cardType: '801', free: true, expireDate: '20291231' });
    await app.admin('POST', `/admin/cards/${formal}/bind`, { cardId: '12345678' });
    const token = await userToken(app, client, user, ['card_info']);
    const res = await call(app, 'GET', '/v1/me/card', token);
    expect(res.body).toEqual({
      ...SUCCESS,
      entities: [
        {
          user: { name: '张三', code: user.userCode, organize: { name: '网络信息中心' }, userType: 'faculty', timeZone: 0 },
          cardNo: formal,
          cardId: '12345678',
          bankNo: '',
          expireDate: '20301231',
          cardBalance: 5.34,
          transBalance: 0,
          lost: false,
          frozen: false,
        },
        expect.objectContaining({ cardNo: temporary, cardId: '', expireDate: '20291231', cardBalance: 0 }),
      ],
    });
    // Someone else sees only their own.
    const other = await cardholder();
    const theirs = await call(app, 'GET', '/v1/me/card', other.token);
    expect(theirs.body.entities.map((c: { cardNo: string }) => c.cardNo)).toEqual([other.cardNo]);
  });

  it('查询校园卡身份信息: the user when the code exists, no entity when not; manage_card or card_info', async () => {
    const user = await createUser(app, { name: '测试' });
    expect((await call(app, 'GET', '/v1/me/card/user', manager, { userCode: user.userCode })).body).toEqual({ ...SUCCESS, entities: [{ user: { name: '测试', code: user.userCode } }] });
    expect((await call(app, 'GET', '/v1/me/card/user', manager, { userCode: 'CS9999' })).body).toEqual({ ...SUCCESS, entities: [] });
    const infoOnly = await userToken(app, client, user, ['card_info']);
    expect((await call(app, 'GET', '/v1/me/card/user', infoOnly, { userCode: user.userCode })).body.errno).toBe(0);
    const neither = await userToken(app, client, user, ['privacy']);
    failure(await call(app, 'GET', '/v1/me/card/user', neither, { userCode: user.userCode }), 403, 'access_token: scope manage_card or card_info required');
    failure(await call(app, 'GET', '/v1/me/card/user', manager), 400, 'userCode is required');
  });

  describe('设置卡信息和状态 POST /v1/me/card', () => {
    it('reports a card lost and found with the query password, publishing card.status-changed', async () => {
      const { user, token, cardNo } = await cardholder();
      await app.admin('POST', `/admin/cards/${cardNo}/bind`, { cardId: 'a1b2c3d4' });
      const changes = app.bus.collect(Events.CardStatusChanged);
      expect((await call(app, 'POST', '/v1/me/card', token, { lost: 'true', cardNo, queryPassword: user.queryPassword })).body).toEqual(SUCCESS);
      expect((await call(app, 'GET', '/v1/me/card', token)).body.entities[0]).toMatchObject({ lost: true, frozen: false });
      // Again: nothing changes, nothing published.
      expect((await call(app, 'POST', '/v1/me/card', token, { lost: true, cardNo, queryPassword: user.queryPassword })).body).toEqual(SUCCESS);
      expect((await call(app, 'POST', '/v1/me/card', token, { lost: false, queryPassword: user.queryPassword })).body).toEqual(SUCCESS);
      const events = await changes.waitFor(2);
      expect(events.map((e) => [e.change, e.lost, e.frozen, e.cardId, e.cardNo, e.userCode])).toEqual([
        ['lost', true, false, 'A1B2C3D4', cardNo, user.userCode],
        ['found', false, false, 'A1B2C3D4', cardNo, user.userCode],
      ]);
      expect(await changes.settle(300)).toHaveLength(2);
      changes.stop();
    });

    it('changes the query password (stored hashed), refusing a wrong current one', async () => {
      const { user, token, cardNo } = await cardholder();
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: '000000', newPassword: '654321' }), 422, /^queryPassword: wrong query password; 4 more wrong attempts lock it for 30 minutes$/);
      expect((await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, newPassword: '654321' })).body).toEqual(SUCCESS);
      const [row] = await app.db.query(`SELECT query_password_hash, query_password_failures FROM card_account WHERE card_no = $1`, [cardNo]);
      expect(row.query_password_hash).toMatch(/^scrypt\$/);
      expect(row.query_password_hash).not.toContain('654321');
      expect(row.query_password_failures).toBe(0);
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, lost: true }), 422, /^queryPassword: wrong query password/);
      expect((await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: '654321', lost: true })).body).toEqual(SUCCESS);
    });

    it('locks the query password after 5 wrong ones, the right one included, until the lock runs out', async () => {
      const { user, token, cardNo } = await cardholder();
      for (let i = 4; i >= 1; i--) {
        failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: 'wrong', lost: true }), 422, new RegExp(`^queryPassword: wrong query password; ${i} more wrong attempts?`));
      }
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: 'wrong', lost: true }), 423, /^queryPassword: locked after 5 wrong attempts until \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, lost: true }), 423, /^queryPassword: locked/);
      expect((await call(app, 'GET', '/v1/me/card', token)).body.entities[0].lost).toBe(false);
      await app.db.query(`UPDATE card_account SET query_password_locked_until = now() - interval '1 second' WHERE card_no = $1`, [cardNo]);
      expect((await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, lost: true })).body).toEqual(SUCCESS);
    });

    it('refuses bad input and other people’s cards, changing nothing', async () => {
      const { user, token, cardNo } = await cardholder();
      const other = await cardholder();
      const before = await snapshot(app);
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, lost: true }), 400, 'queryPassword is required');
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword }), 400, 'lost or newPassword: one of them is required');
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, lost: 'maybe' }), 400, 'lost must be true or false');
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo, queryPassword: user.queryPassword, newPassword: '12' }), 400, 'newPassword must be at least 4 characters');
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo: other.cardNo, queryPassword: other.user.queryPassword, lost: true }), 404, `cardNo: no card ${other.cardNo}`);
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo: '99999999', queryPassword: user.queryPassword, lost: true }), 404, 'cardNo: no card 99999999');
      failure(await call(app, 'POST', '/v1/me/card', token, { cardNo: 'x-1', queryPassword: user.queryPassword, lost: true }), 400, 'cardNo must be 1-32 letters or digits');
      const readOnly = await userToken(app, client, user, ['card_info']);
      failure(await call(app, 'POST', '/v1/me/card', readOnly, { cardNo, queryPassword: user.queryPassword, lost: true }), 403, 'access_token: scope write_card_info required');
      expect(await snapshot(app)).toBe(before);
    });
  });

  describe('client-credentials calls /v1/card', () => {
    it('根据学工号或物理卡号查询卡信息: by cardId (any case), by userId, cardId first; none: no entity', async () => {
      const { user, cardNo } = await cardholder();
      const second = await openCard(app, manager, user.userCode, { cardType: '801', free: true });
      await app.admin('POST', `/admin/cards/${cardNo}/bind`, { cardId: 'C0FFEE01' });
      const expected = { user: { name: '张三', code: user.userCode }, cardNo, cardId: 'C0FFEE01' };
      expect((await call(app, 'GET', '/v1/card', service, { cardId: 'c0ffee01' })).body).toEqual({ ...SUCCESS, entities: [expected] });
      expect((await call(app, 'GET', '/v1/card', service, { userId: user.userCode })).body).toEqual({ ...SUCCESS, entities: [expected, { user: expected.user, cardNo: second, cardId: '' }] });
      expect((await call(app, 'GET', '/v1/card', service, { cardId: 'C0FFEE01', userId: 'someone-else' })).body.entities).toEqual([expected]);
      expect((await call(app, 'GET', '/v1/card', service, { cardId: 'DEADBEEF' })).body).toEqual({ ...SUCCESS, entities: [] });
      expect((await call(app, 'GET', '/v1/card', service, { userId: 'NOBODY' })).body).toEqual({ ...SUCCESS, entities: [] });
      failure(await call(app, 'GET', '/v1/card', service), 400, 'cardId or userId is required (cardId: the physical card id, hex)');
      failure(await call(app, 'GET', '/v1/card', service, { cardId: 'XYZ' }), 400, 'cardId must be the physical card id: 4 to 10 bytes of hex');
      const infoless = await clientToken(app, client, ['write_card_info']);
      failure(await call(app, 'GET', '/v1/card', infoless, { userId: user.userCode }), 403, 'access_token: scope card_info required');
    });

    it('冻结解冻校园卡: frozen / thawed published; a frozen card buys nothing', async () => {
      const { cardNo } = await cardholder();
      await app.admin('POST', `/admin/cards/${cardNo}/bind`, { cardId: 'F00DF00D' });
      const changes = app.bus.collect(Events.CardStatusChanged);
      expect((await call(app, 'POST', '/v1/card', service, { cardNo, frozen: true })).body).toEqual(SUCCESS);
      failure(await app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M1', merchant: '大众餐厅', system: '第二食堂', amount: 1 }), 409, `cardNo: card ${cardNo} is frozen`);
      expect((await call(app, 'POST', '/v1/card', service, { cardNo, frozen: 'false' })).body).toEqual(SUCCESS);
      const events = await changes.waitFor(2);
      expect(events.map((e) => [e.change, e.frozen, e.cardId])).toEqual([
        ['frozen', true, 'F00DF00D'],
        ['thawed', false, 'F00DF00D'],
      ]);
      changes.stop();
      failure(await call(app, 'POST', '/v1/card', service, { frozen: true }), 400, 'cardNo is required');
      failure(await call(app, 'POST', '/v1/card', service, { cardNo }), 400, 'frozen is required');
      failure(await call(app, 'POST', '/v1/card', service, { cardNo: '424242', frozen: true }), 404, 'cardNo: no card 424242');
      const readOnly = await clientToken(app, client, ['card_info']);
      failure(await call(app, 'POST', '/v1/card', readOnly, { cardNo, frozen: true }), 403, 'access_token: scope write_card_info required');
    });

    it('提交拾卡信息: recorded for operators when number and code name one card', async () => {
      const { user, cardNo } = await cardholder();
      expect((await call(app, 'POST', '/v1/card/foundLostCard', service, { name: '张三', code: user.userCode, cardNo, msg: '在图书馆捡到', photo: 'https://img.example/1.jpg' })).body).toEqual(SUCCESS);
      const listed = await app.admin('GET', `/admin/found-cards?cardNo=${cardNo}`);
      // Operator lists are one page, {total, limit, offset, items}, as the envelope's one entity.
      expect(listed.body).toEqual({
        ...SUCCESS,
        entities: [{
          total: 1, limit: 100, offset: 0,
          items: [{ id: expect.any(Number), cardNo, name: '张三', code: user.userCode, msg: '在图书馆捡到', photo: 'https://img.example/1.jpg', clientId: client.clientId, reportedAt: expect.any(String) }],
        }],
      });
      const before = await snapshot(app);
      failure(await call(app, 'POST', '/v1/card/foundLostCard', service, { name: '张三', code: 'someone', cardNo, msg: 'x' }), 404, `cardNo: no card ${cardNo} held by someone`);
      failure(await call(app, 'POST', '/v1/card/foundLostCard', service, { name: '张三', code: user.userCode, cardNo }), 400, 'msg is required');
      failure(await call(app, 'POST', '/v1/card/foundLostCard', service, { name: '张三', code: user.userCode, cardNo, msg: 'm'.repeat(501) }), 400, 'msg must be at most 500 characters');
      expect(await snapshot(app)).toBe(before);
    });
  });
});
