import { Events } from '@onecard/contracts';
import { runBatch } from '@onecard/apdu';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { PickupAttemptSweep } from '../src/orders/pickup-attempt-sweep';
import { createMachine, createOrder, issuanceEnv, newPhone, PROJECT_KEYS, snapshot, startedSession } from './support/fixtures';
import { blankCard, KIOSK, KioskClient, randomUid } from './support/kiosk-client';

function failure(body: any, code: number, msg: RegExp) {
  expect(body).toEqual({ code, msg: expect.stringMatching(msg), success: false, status: code, data: null });
}

describe('card-issuance: bad kiosk input gets a clear envelope error and changes nothing', () => {
  let app: TestApp & { bus: TestBus };
  let kiosk: KioskClient;

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
    kiosk = await createMachine(app, 'P1');
  });
  afterAll(async () => {
    await app?.close();
  });

  const started = () => startedSession(app, kiosk);

  it('names a missing, oversized or malformed field', async () => {
    const before = await snapshot(app);
    const cases: Array<[string, object, RegExp]> = [
      ['saveMachine', { machineNo: kiosk.machineNo, inkCount: '1', cardRopeCover: '1' }, /^cardCount is required/],
      ['saveMachine', { machineNo: kiosk.machineNo, cardCount: '-1', inkCount: '1', cardRopeCover: '1' }, /^cardCount must be a number from 0 to 999999999/],
      ['saveMachine', { machineNo: kiosk.machineNo, cardCount: '1234567890', inkCount: '1', cardRopeCover: '1' }, /^cardCount must be a number from 0 to 999999999/],
      ['saveMachine', { machineNo: kiosk.machineNo, cardCount: '1', inkCount: 'lots', cardRopeCover: '1' }, /^inkCount must be a number from 0 to 999999999/],
      ['openCardUserDetail', { machineNo: kiosk.machineNo, pickupCode: '123456' }, /^phoneNumber is required/],
      ['openCardUserDetail', { machineNo: kiosk.machineNo, phoneNumber: '13900000000', pickupCode: '12345' }, /^pickupCode must be 6 digits/],
      ['getOpenCardApdu', { orderId: 'x'.repeat(65), userId: 'u', uid: '04A1B2C3' }, /^orderId must be at most 64 characters/],
      ['getOpenCardApdu', { orderId: '1', uid: '04A1B2C3' }, /^userId is required/],
      ['getOpenCardApdu', { orderId: '1', userId: 'u', uid: '04A1B2' }, /^uid must be the card inner code/],
      ['getOpenCardApdu', { orderId: '1', userId: 'u', uid: 'XYZ12345' }, /^uid must be the card inner code/],
      ['apduExeResult', { apduIndex: '2', rapdu: '90ZZ', result: '0x00', userId: 'u', uid: '04A1B2C3' }, /^rapdu must be hexadecimal/],
      ['apduExeResult', { apduIndex: '2', rapdu: '09000', result: '0x00', userId: 'u', uid: '04A1B2C3' }, /^rapdu must have an even number of hex digits/],
      ['apduExeResult', { apduIndex: '2', rapdu: '90', result: '0x00', userId: 'u', uid: '04A1B2C3' }, /^rapdu must hold at least a status word/],
      ['apduExeResult', { apduIndex: 'two', rapdu: '9000', result: '0x00', userId: 'u', uid: '04A1B2C3' }, /^apduIndex must be the index/],
      ['apduExeResult', { apduIndex: '2', rapdu: '9000', result: 'ok', userId: 'u', uid: '04A1B2C3' }, /^result must be "0x00"/],
      ['apduExeResult', { apduIndex: '2', rapdu: '9000', result: '0x00', userId: 'u' }, /^uid is required/],
      ['finish', { machineNo: kiosk.machineNo, orderId: '1', userId: 'u' }, /^uid is required/],
    ];
    for (const [path, body, msg] of cases) {
      const res = await kiosk.call('POST', `${KIOSK}/${path}`, body);
      expect(res.status).toBe(200);
      failure(res.body, 400, msg);
    }
    failure((await kiosk.call('POST', `${KIOSK}/finish`, '{"orderId": ')).body, 400, /^body: malformed JSON/);
    expect(await snapshot(app)).toBe(before);
  });

  it('refuses a wrong pickup code without saying whether the phone exists, and locks the phone after 5', async () => {
    const order = await createOrder(app);
    const wrong = order.pickupCode === '000000' ? '000001' : '000000';
    const unknownPhone = newPhone();
    const a = await kiosk.userDetail(order.phoneNumber, wrong);
    const b = await kiosk.userDetail(unknownPhone, wrong);
    failure(a.body, 404, /^pickupCode: wrong phone number or pickup code \(4 attempts left\)$/);
    expect(b.text).toBe(a.text);
    const other = await createMachine(app, 'P1');
    const before = await snapshot(app);
    for (let i = 0; i < 3; i++) await kiosk.userDetail(order.phoneNumber, wrong);
    failure((await kiosk.userDetail(order.phoneNumber, wrong)).body, 404, /phoneNumber locked for 30 minutes/);
    // Now even the right code is refused, on any kiosk.
    failure((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body, 429, /^phoneNumber: locked/);
    failure((await other.userDetail(order.phoneNumber, order.pickupCode)).body, 429, /^phoneNumber: locked/);
    expect(await snapshot(app)).toBe(before);
    const [attempt] = await app.db.query(`SELECT locked_until > now() AS locked FROM pickup_attempt WHERE phone_number = $1`, [order.phoneNumber]);
    expect(attempt.locked).toBe(true);

    // Operators lift the lock; the right code then works.
    expect((await app.admin('DELETE', `/admin/pickup-locks/${order.phoneNumber}`)).body.data).toEqual({ phoneNumber: order.phoneNumber, unlocked: true });
    expect((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
  });

  it('counts wrong codes sent at the same instant one after the other: the 6th and later find the phone locked', async () => {
    const order = await createOrder(app);
    const wrong = order.pickupCode === '000000' ? '000001' : '000000';
    const kiosks = [kiosk, await createMachine(app, 'P1'), await createMachine(app, 'P1')];
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => kiosks[i % 3].userDetail(order.phoneNumber, wrong)));
    const msgs = answers.map((a) => a.body.msg as string).sort();
    expect(msgs).toEqual([
      ...Array(4).fill('phoneNumber: locked after too many wrong pickup codes; try again later'),
      'pickupCode: wrong phone number or pickup code (1 attempts left)',
      'pickupCode: wrong phone number or pickup code (2 attempts left)',
      'pickupCode: wrong phone number or pickup code (3 attempts left)',
      'pickupCode: wrong phone number or pickup code (4 attempts left)',
      'pickupCode: wrong phone number or pickup code; phoneNumber locked for 30 minutes',
    ]);
    const [attempt] = await app.db.query(`SELECT failures, locked_until > now() AS locked FROM pickup_attempt WHERE phone_number = $1`, [order.phoneNumber]);
    // The 5th wrong code locked the phone and started a fresh count for when the lock ends.
    expect(attempt).toEqual({ failures: 0, locked: true });
  });

  it('forgets wrong-code counts a day old, keeps recent ones and running locks', async () => {
    const [stale, recent, locked] = [newPhone(), newPhone(), newPhone()];
    await app.db.query(
      `INSERT INTO pickup_attempt (phone_number, failures, locked_until, updated_at) VALUES
         ($1, 3, NULL, now() - interval '25 hours'), ($2, 3, NULL, now() - interval '23 hours'), ($3, 0, now() + interval '10 minutes', now() - interval '25 hours')`,
      [stale, recent, locked],
    );
    await app.get(PickupAttemptSweep).sweep();
    const left = await app.db.query(`SELECT phone_number FROM pickup_attempt WHERE phone_number = ANY($1) ORDER BY phone_number`, [[stale, recent, locked]]);
    expect(left.map((r: { phone_number: string }) => r.phone_number)).toEqual([recent, locked].sort());
  });

  it("refuses another project's machine, an expired code and a code redeemed elsewhere", async () => {
    const order = await createOrder(app);
    const p2 = await createMachine(app, 'P2');
    const before = await snapshot(app);
    failure((await p2.userDetail(order.phoneNumber, order.pickupCode)).body, 403, /^machineNo: this machine does not serve the order's project/);
    expect(await snapshot(app)).toBe(before);

    expect((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
    const elsewhere = await createMachine(app, 'P1');
    failure((await elsewhere.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used at another machine/);
    failure((await elsewhere.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 403, /^orderId: the pickup code of this order was not redeemed at this machine/);
    failure((await p2.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 403, /^orderId: this machine does not serve/);

    const expiring = await createOrder(app);
    await app.db.query(`UPDATE card_order SET pickup_expires_at = now() - interval '1 minute' WHERE order_id = $1`, [expiring.orderId]);
    failure((await kiosk.userDetail(expiring.phoneNumber, expiring.pickupCode)).body, 410, /^pickupCode: expired/);
  });

  it('finds a pending order behind newer finished ones, and reads a pickup code sent as a number', async () => {
    const phoneNumber = newPhone();
    const pending = await createOrder(app, { phoneNumber });
    for (let i = 0; i < 5; i++) {
      const done = await createOrder(app, { phoneNumber });
      expect((await kiosk.userDetail(phoneNumber, done.pickupCode)).body.code).toBe(0);
      const card = blankCard(randomUid(), PROJECT_KEYS.P1);
      await kiosk.personalise(card, done.orderId, done.userId);
      expect((await kiosk.finish({ orderId: done.orderId, userId: done.userId, uid: card.uid })).body.code).toBe(0);
    }
    // Firmware that sends the code as a JSON number (leading zeros restored: see validators.spec.ts).
    const detail = await kiosk.call('POST', `${KIOSK}/openCardUserDetail`, { phoneNumber, pickupCode: Number(pending.pickupCode), machineNo: kiosk.machineNo });
    expect(detail.body).toMatchObject({ code: 0, data: { orderId: pending.orderId } });
  });

  it('refuses an apduIndex outside the outstanding batch, changing nothing', async () => {
    const { order, uid, card, first } = await started();
    const r = runBatch(card, first.body.data.cApdus);
    const stranger = await createMachine(app, 'P1');
    const before = await snapshot(app);
    for (const index of [0, r.lastIndex + 1, 999]) {
      const res = await kiosk.report({ apduIndex: String(index), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid });
      failure(res.body, 400, new RegExp(`^apduIndex: ${index} is not in the outstanding batch \\(1\\.\\.${r.lastIndex}\\)`));
    }
    failure((await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: 'someone-else', uid })).body, 404, /^uid: no personalisation session/);
    failure((await stranger.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid })).body, 404, /^uid: no personalisation session/);
    expect(await snapshot(app)).toBe(before);
    // The right report still works afterwards.
    expect((await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid })).body.code).toBe(0);
  });

  it('fails the session on an unexpected status word or a kiosk failure; a new card starts again', async () => {
    const { order, uid, card, first } = await started();
    const r = runBatch(card, first.body.data.cApdus);
    const bad = await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: '6A82', result: '0x00', userId: order.userId, uid });
    failure(bad.body, 422, /^rapdu: .*expected.*personalisation failed, start again with getOpenCardApdu/);
    // Repeated: the same failure, byte for byte; a different report: the session is closed.
    expect((await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: '6a82', result: '0x00', userId: order.userId, uid })).text).toBe(bad.text);
    failure((await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid })).body, 409, /^uid: personalisation of this card failed/);
    failure((await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid })).body, 409, /^uid: this card has not completed personalisation/);

    const card2 = blankCard(randomUid(), PROJECT_KEYS.P1);
    const again = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card2.uid });
    const r2 = runBatch(card2, again.body.data.cApdus);
    // A kiosk failure may come with no R-APDU at all (the card never answered).
    const failed = await kiosk.report({ apduIndex: String(r2.lastIndex), rapdu: '', result: '0x01', userId: order.userId, uid: card2.uid });
    failure(failed.body, 422, /^result: kiosk reported failure/);

    const card3 = blankCard(randomUid(), PROJECT_KEYS.P1);
    await kiosk.personalise(card3, order.orderId, order.userId);
    expect((await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card3.uid })).body.code).toBe(0);
    const sessions = await app.db.query(`SELECT uid, status FROM personalisation_session WHERE order_id = $1 ORDER BY id`, [order.orderId]);
    expect(sessions.map((s: any) => s.status)).toEqual(['FAILED', 'FAILED', 'FINISHED']);
  });

  it('abandons a session when the kiosk starts again mid-way', async () => {
    const { order, uid, card, first } = await started();
    const r = runBatch(card, first.body.data.cApdus);
    expect((await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid })).body.code).toBe(0);
    const card2 = blankCard(randomUid(), PROJECT_KEYS.P1);
    await kiosk.personalise(card2, order.orderId, order.userId);
    failure((await kiosk.report({ apduIndex: '3', rapdu: '9000', result: '0x00', userId: order.userId, uid })).body, 409, /^uid: this session was replaced/);
  });

  it('refuses to work on a finished order, or on a card already issued, changing nothing', async () => {
    const issued = app.bus.collect(Events.CardIssued);
    const { order } = await started();
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    await kiosk.personalise(card, order.orderId, order.userId);
    expect((await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body.code).toBe(0);
    await eventually(async () => (await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n === 0);
    await eventually(() => issued.events.some((e) => e.orderId === order.orderId));

    const before = await snapshot(app);
    failure((await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 409, /^orderId: the order is already finished/);
    failure((await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 409, /^uid: the order is already finished with another card/);
    failure((await kiosk.finish({ orderId: order.orderId, userId: 'not-the-user', uid: card.uid })).body, 404, /^orderId: no order with this orderId and userId/);
    failure((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used/);
    failure((await app.admin('POST', `/admin/orders/${order.orderId}/cancel`)).body, 409, /^orderId: .* finished/);
    const next = await createOrder(app);
    await kiosk.userDetail(next.phoneNumber, next.pickupCode);
    const reuse = await kiosk.getApdu({ orderId: next.orderId, userId: next.userId, uid: card.uid });
    failure(reuse.body, 409, /^uid: this card is already issued/);
    const claimed = await snapshot(app);
    expect(JSON.parse(claimed).personalisation_session).toEqual(JSON.parse(before).personalisation_session);
    expect(JSON.parse(claimed).outbox).toEqual(JSON.parse(before).outbox);
    expect((await issued.settle(300)).filter((e) => e.orderId === order.orderId)).toHaveLength(1);
    issued.stop();
  });

  it('closes the session of a cancelled order', async () => {
    const { order, uid, card, first } = await started();
    const cancelled = await app.admin('POST', `/admin/orders/${order.orderId}/cancel`);
    expect(cancelled.body.data).toMatchObject({ orderId: order.orderId, status: 'CANCELLED' });
    const r = runBatch(card, first.body.data.cApdus);
    failure((await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid })).body, 409, /^uid: this session was replaced or its order cancelled/);
    failure((await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid })).body, 409, /^orderId: the order was cancelled/);
    failure((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: order .* was cancelled/);
  });
});
