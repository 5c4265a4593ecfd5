import { randomBytes, randomUUID } from 'node:crypto';
import { EventPayload, Events, Rpc } from '@onecard/contracts';
import { RpcClient } from '@onecard/messaging';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { call, campusEnv, clientToken, createClient, createUser, openCard, userToken } from './support/campus';

const randomUid = () => randomBytes(4).toString('hex').toUpperCase();

/** card.issued as card-issuance publishes it (the order's userId is the campus userCode). */
function issued(userId: string, orderType: 1 | 22, overrides: Partial<EventPayload<typeof Events.CardIssued>> = {}): EventPayload<typeof Events.CardIssued> {
  return {
    orderId: `2024${randomBytes(7).toString('hex')}`,
    orderType,
    userId,
    userName: '张三',
    companyId: 'C001',
    companyName: '一卡通科技有限公司',
    projectId: 'P1',
    machineNo: 'K1',
    uid: randomUid(),
    cardNo: `0001${String(Date.now()).slice(-12)}`,
    expiryDate: '20291231',
    ...overrides,
  };
}

describe('campus-card: kiosk-issued cards (card.issued over NATS)', () => {
  let app: TestApp & { bus: TestBus };
  let service: string;
  let manager: string;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv() });
    const client = await createClient(app);
    service = await clientToken(app, client, ['card_info']);
    manager = await userToken(app, client, await createUser(app), ['manage_card']);
  });
  afterAll(async () => {
    await app?.close();
  });

  const lookup = async (cardId: string) => (await call(app, 'GET', '/v1/card', service, { cardId })).body.entities;
  const accountsOf = (userCode: string) => app.db.query(`SELECT card_no, card_id, card_type, balance_fen, lost, opened_by FROM card_account WHERE user_code = $1 ORDER BY card_no`, [userCode]);

  it('an open-card order opens the account under the printed number, bound to the card, and announces it', async () => {
    const opened = app.bus.collect(Events.AccountOpened);
    const user = await createUser(app);
    const event = await app.bus.publish(Events.CardIssued, issued(user.userCode, 1));
    await eventually(async () => (await lookup(event.uid)).length === 1);
    expect(await lookup(event.uid)).toEqual([{ user: { name: '张三', code: user.userCode }, cardNo: event.cardNo, cardId: event.uid }]);
    expect(await accountsOf(user.userCode)).toEqual([{ card_no: event.cardNo, card_id: event.uid, card_type: '800', balance_fen: '0', lost: false, opened_by: `order:${event.orderId}` }]);
    const [announced] = await opened.waitFor(1);
    expect(announced).toMatchObject({ cardNo: event.cardNo, userCode: user.userCode, cardType: '800', expireDate: '20291231', cardId: event.uid });
    opened.stop();
    // Other services read the card's fresh state over request/reply.
    const rpc = app.get(RpcClient);
    expect(await rpc.request(Rpc.GetCampusCard, { cardId: event.uid })).toEqual({ found: true, cardNo: event.cardNo, cardId: event.uid, userCode: user.userCode, lost: false, frozen: false });
    expect(await rpc.request(Rpc.GetCampusCard, { cardNo: event.cardNo })).toMatchObject({ found: true, cardId: event.uid });
    expect(await rpc.request(Rpc.GetCampusCard, { cardId: 'DEADBEEF' })).toEqual({ found: false });
  });

  it('an open-card order binds the account the API opened before; a redelivered event is applied once', async () => {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true, openAmount: 8 });
    const event = await app.bus.publish(Events.CardIssued, issued(user.userCode, 1));
    await eventually(async () => (await lookup(event.uid)).length === 1);
    await app.bus.publishRaw(Events.CardIssued, event);
    await new Promise((r) => setTimeout(r, 500));
    expect(await accountsOf(user.userCode)).toEqual([expect.objectContaining({ card_no: cardNo, card_id: event.uid, balance_fen: '800' })]);
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [event.eventId]);
    expect(n).toBe(1);
  });

  it('a reissue binds the new card to the account, keeps the balance, clears the loss and retires the old card', async () => {
    const changes = app.bus.collect(Events.CardStatusChanged);
    const user = await createUser(app);
    const first = await app.bus.publish(Events.CardIssued, issued(user.userCode, 1));
    await eventually(async () => (await lookup(first.uid)).length === 1);
    await app.db.query(`UPDATE card_account SET balance_fen = 4321 WHERE card_no = $1`, [first.cardNo]);
    const token = await userToken(app, await createClient(app), user, ['write_card_info', 'card_info']);
    await call(app, 'POST', '/v1/me/card', token, { cardNo: first.cardNo, queryPassword: user.queryPassword, lost: true });

    const reissue = await app.bus.publish(Events.CardIssued, issued(user.userCode, 22, { cardNo: '0001999999999999' }));
    await eventually(async () => (await lookup(reissue.uid)).length === 1);
    expect(await lookup(first.uid)).toEqual([]);
    expect(await accountsOf(user.userCode)).toEqual([expect.objectContaining({ card_no: first.cardNo, card_id: reissue.uid, balance_fen: '4321', lost: false })]);
    const events = await changes.waitFor(2);
    expect(events.map((e) => [e.change, e.cardId, e.cardNo, e.lost])).toEqual([
      ['lost', first.uid, first.cardNo, true],
      ['replaced', first.uid, first.cardNo, true],
    ]);
    expect((await call(app, 'GET', '/v1/me/card', token)).body.entities[0]).toMatchObject({ cardNo: first.cardNo, cardId: reissue.uid, cardBalance: 43.21, lost: false });
    const physical = await app.db.query(`SELECT card_id, replaced_at IS NOT NULL AS replaced FROM physical_card WHERE card_no = $1 ORDER BY bound_at`, [first.cardNo]);
    expect(physical).toEqual([
      { card_id: first.uid, replaced: true },
      { card_id: reissue.uid, replaced: false },
    ]);
    changes.stop();
  });

  it('keeps what cannot be applied for operators, who apply it once the cause is fixed', async () => {
    const event = await app.bus.publish(Events.CardIssued, issued('NEWCOMER1', 1));
    const listed = await eventually(async () => {
      const res = await app.admin('GET', '/admin/card-issues');
      return res.body.entities[0].items.find((e: { eventId: string }) => e.eventId === event.eventId);
    });
    expect(listed).toEqual({
      eventId: event.eventId,
      orderId: event.orderId,
      orderType: 1,
      userCode: 'NEWCOMER1',
      cardId: event.uid,
      reason: 'no campus user NEWCOMER1',
      receivedAt: expect.any(String),
      resolvedAt: null,
      resolution: null,
    });
    expect(await lookup(event.uid)).toEqual([]);
    const early = await app.admin('POST', `/admin/card-issues/${event.eventId}/retry`);
    expect(early.body).toEqual({ errno: 409, error: 'eventId: still cannot be applied: no campus user NEWCOMER1', total: 0 });

    // Operators see the open ones counted on /admin/backlog, with when the oldest came.
    const cardIssues = async () => (await app.admin('GET', '/admin/backlog')).body.entities[0].items.find((i: { name: string }) => i.name === 'card_issues');
    const open = await cardIssues();
    expect(open).toEqual({ name: 'card_issues', scope: 'app', pending: expect.any(Number), oldestAt: expect.stringMatching(/Z$/), oldestAgeSeconds: expect.any(Number), error: null, detail: null });
    expect(open.pending).toBeGreaterThanOrEqual(1);

    await createUser(app, { userCode: 'NEWCOMER1' });
    expect((await app.admin('POST', `/admin/card-issues/${event.eventId}/retry`)).body.entities).toEqual([{ eventId: event.eventId, resolution: 'applied' }]);
    expect((await cardIssues()).pending).toBe(open.pending - 1);
    expect(await lookup(event.uid)).toEqual([expect.objectContaining({ cardNo: event.cardNo, cardId: event.uid })]);
    const resolved = (await app.admin('GET', '/admin/card-issues?status=resolved')).body;
    expect(resolved).toEqual({ errno: 0, error: 'success', total: 0, entities: [{ total: expect.any(Number), limit: 100, offset: 0, items: expect.any(Array) }] });
    expect(resolved.entities[0].items).toContainEqual({ ...listed, resolvedAt: expect.any(String), resolution: 'applied' });
    expect(resolved.entities[0].total).toBe(resolved.entities[0].items.length);
  });

  it('does not let an open-card order take over a card-holding account, nor a card bound elsewhere', async () => {
    const user = await createUser(app);
    const first = await app.bus.publish(Events.CardIssued, issued(user.userCode, 1));
    await eventually(async () => (await lookup(first.uid)).length === 1);
    const second = await app.bus.publish(Events.CardIssued, issued(user.userCode, 1));
    const other = await createUser(app);
    const stolen = await app.bus.publish(Events.CardIssued, issued(other.userCode, 1, { uid: first.uid }));
    const reasons = await eventually(async () => {
      const rows = await app.db.query(`SELECT event_id, reason FROM unmatched_card_issue WHERE event_id = ANY($1)`, [[second.eventId, stolen.eventId]]);
      return rows.length === 2 ? Object.fromEntries(rows.map((r: { event_id: string; reason: string }) => [r.event_id, r.reason])) : undefined;
    });
    expect(reasons).toEqual({
      [second.eventId]: `user already has card ${first.uid} on card account ${first.cardNo}; a replacement is a reissue (orderType 22)`,
      [stolen.eventId]: `card ${first.uid} is bound to card account ${first.cardNo} of another user`,
    });
    expect(await accountsOf(other.userCode)).toEqual([]);
    expect(await lookup(first.uid)).toEqual([expect.objectContaining({ cardNo: first.cardNo, user: expect.objectContaining({ code: user.userCode }) })]);
  });

  it('makes an unreadable card.issued a dead letter operators see, not a lost event', async () => {
    const broken = { ...issued('SOMEONE', 1), eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'card-issuance', uid: 'not hex' };
    await app.bus.publishRaw(Events.CardIssued, broken);
    const letter = await eventually(async () => {
      const res = await app.admin('GET', '/admin/events?status=dead');
      return JSON.stringify(res.body).includes(broken.eventId) ? res.body : undefined;
    });
    expect(JSON.stringify(letter)).toMatch(/uid must match/);
    expect(await app.db.query(`SELECT 1 FROM unmatched_card_issue WHERE event_id = $1`, [broken.eventId])).toEqual([]);
  });
});
