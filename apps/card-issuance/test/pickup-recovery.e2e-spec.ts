import { runBatch } from '@onecard/apdu';
import { eventually, startTestApp, TestApp } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, createOrder, CreatedOrder, issuanceEnv, PROJECT_KEYS, startedSession } from './support/fixtures';
import { blankCard, KioskClient, randomUid } from './support/kiosk-client';

function failure(body: any, code: number, msg: RegExp) {
  expect(body).toEqual({ code, msg: expect.stringMatching(msg), success: false, status: code, data: null });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a whole personalisation on a new card at `kiosk` and finishes the order there. */
async function issueAt(app: TestApp, kiosk: KioskClient, order: CreatedOrder): Promise<void> {
  const card = blankCard(randomUid(), PROJECT_KEYS.P1);
  await kiosk.personalise(card, order.orderId, order.userId);
  expect((await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body).toMatchObject({ code: 0 });
  const [row] = await app.db.query(`SELECT status, uid, finished_machine_no FROM card_order WHERE order_id = $1`, [order.orderId]);
  expect(row).toEqual({ status: 'FINISHED', uid: card.uid, finished_machine_no: kiosk.machineNo });
}

async function claimOf(app: TestApp, orderId: string): Promise<string | null> {
  const [row] = await app.db.query(`SELECT claimed_machine_no FROM card_order WHERE order_id = $1`, [orderId]);
  return row.claimed_machine_no;
}

describe('card-issuance: a redeemed pickup code is recoverable', () => {
  /** Kiosks "go away" after 2 s here, so the idle rules can be watched in real time. */
  let quick: TestApp;
  /** The default 10 minutes: nothing is released for being idle during a test. */
  let patient: TestApp;

  beforeAll(async () => {
    [quick, patient] = await Promise.all([
      startTestApp(cardIssuanceApp, { env: issuanceEnv({ PERSONALISATION_IDLE_SECONDS: '2' }) }),
      startTestApp(cardIssuanceApp, { env: issuanceEnv() }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([quick?.close(), patient?.close()]);
  });

  it('lets the claiming kiosk read its order again after the code expired; other kiosks still get "expired"', async () => {
    const [a, b] = [await createMachine(patient), await createMachine(patient)];
    const order = await createOrder(patient);
    const first = await a.userDetail(order.phoneNumber, order.pickupCode);
    expect(first.body).toMatchObject({ code: 0, data: { orderId: order.orderId, userId: order.userId } });
    await patient.db.query(`UPDATE card_order SET pickup_expires_at = now() - interval '1 minute' WHERE order_id = $1`, [order.orderId]);

    // The kiosk lost the first answer: it gets the same data again.
    const again = await a.userDetail(order.phoneNumber, order.pickupCode);
    expect(again.body).toEqual(first.body);
    failure((await b.userDetail(order.phoneNumber, order.pickupCode)).body, 410, /^pickupCode: expired/);
    expect(await claimOf(patient, order.orderId)).toBe(a.machineNo);

    await issueAt(patient, a, order);
    failure((await a.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used, order \d+ is finished/);
  });

  it('does not hand an expired code to another kiosk even when the claim has gone idle', async () => {
    const [a, b] = [await createMachine(quick), await createMachine(quick)];
    const order = await createOrder(quick);
    expect((await a.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
    await quick.db.query(`UPDATE card_order SET pickup_expires_at = now() - interval '1 minute', claimed_at = now() - interval '1 hour' WHERE order_id = $1`, [order.orderId]);
    failure((await b.userDetail(order.phoneNumber, order.pickupCode)).body, 410, /^pickupCode: expired/);
    expect(await claimOf(quick, order.orderId)).toBe(a.machineNo);
  });

  it('releases the claim of a kiosk that never started personalising within the idle limit', async () => {
    const [a, b, c] = [await createMachine(quick), await createMachine(quick), await createMachine(quick)];
    const order = await createOrder(quick);
    const atA = await a.userDetail(order.phoneNumber, order.pickupCode);
    expect(atA.body.code).toBe(0);
    failure((await b.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used at another machine/);

    await sleep(2200);
    // Two kiosks try at once: one takes the claim, the other is told it is in use.
    const [atB, atC] = await Promise.all([b.userDetail(order.phoneNumber, order.pickupCode), c.userDetail(order.phoneNumber, order.pickupCode)]);
    const [winner, loser, lost] = atB.body.code === 0 ? [b, c, atC] : [c, b, atB];
    expect([atB.body.code, atC.body.code].sort()).toEqual([0, 409]);
    expect((atB.body.code === 0 ? atB : atC).body).toEqual(atA.body);
    failure(lost.body, 409, /^pickupCode: already used at another machine/);
    expect(await claimOf(quick, order.orderId)).toBe(winner.machineNo);

    // The old kiosk has lost the order; the new one prints the card.
    failure((await a.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used at another machine/);
    failure((await a.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 403, /^orderId: the pickup code of this order was not redeemed at this machine/);
    failure((await loser.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 403, /^orderId: the pickup code of this order was not redeemed/);
    await issueAt(quick, winner, order);
  });

  it('releases the claim as soon as the claiming kiosk’s session expired, and refuses its late report', async () => {
    const [a, b] = [await createMachine(quick), await createMachine(quick)];
    const { order, uid, card, first } = await startedSession(quick, a);
    const r = runBatch(card, first.body.data.cApdus);
    const second = await a.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid });
    expect(second.body).toMatchObject({ code: 0, data: { isFinished: false } });
    // Mid-card: the claim stays.
    failure((await b.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used at another machine/);

    await eventually(async () => (await quick.db.query(`SELECT status FROM personalisation_session WHERE order_id = $1`, [order.orderId]))[0].status === 'EXPIRED', 5000);
    expect((await b.userDetail(order.phoneNumber, order.pickupCode)).body).toMatchObject({ code: 0, data: { orderId: order.orderId } });
    expect(await claimOf(quick, order.orderId)).toBe(b.machineNo);

    const r2 = runBatch(card, second.body.data.cApdus);
    failure((await a.report({ apduIndex: String(r2.lastIndex), rapdu: r2.rapdu, result: '0x00', userId: order.userId, uid })).body, 409, /^uid: this session expired/);
    failure((await a.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 403, /^orderId: the pickup code of this order was not redeemed at this machine/);
    await issueAt(quick, b, order);
  });

  it('releases the claim of a kiosk an operator disabled at once, closing its running session', async () => {
    const [a, b] = [await createMachine(patient), await createMachine(patient)];
    const { order, uid, card, first } = await startedSession(patient, a);
    failure((await b.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used at another machine/);

    expect((await patient.admin('PATCH', `/admin/machines/${a.machineNo}`, { status: 2 })).body.data.status).toBe(2);
    expect((await b.userDetail(order.phoneNumber, order.pickupCode)).body).toMatchObject({ code: 0, data: { orderId: order.orderId } });
    expect(await claimOf(patient, order.orderId)).toBe(b.machineNo);
    const sessions = await patient.db.query(`SELECT machine_no, status, failure FROM personalisation_session WHERE order_id = $1`, [order.orderId]);
    expect(sessions).toEqual([{ machine_no: a.machineNo, status: 'ABANDONED', failure: 'claim released: claiming machine disabled' }]);

    // Enabled again, the old kiosk cannot carry on with its card nor start another.
    await patient.admin('PATCH', `/admin/machines/${a.machineNo}`, { status: 1 });
    const r = runBatch(card, first.body.data.cApdus);
    failure((await a.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid })).body, 409, /^uid: this session was replaced/);
    failure((await a.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() })).body, 403, /^orderId: the pickup code of this order was not redeemed at this machine/);
    await issueAt(patient, b, order);
  });

  it('never releases a claim under which a card was personalised, idle or disabled', async () => {
    const [a, b] = [await createMachine(quick), await createMachine(quick)];
    const order = await createOrder(quick);
    expect((await a.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    await a.personalise(card, order.orderId, order.userId);

    await sleep(2200);
    failure((await b.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used at another machine/);
    await quick.admin('PATCH', `/admin/machines/${a.machineNo}`, { status: 2 });
    failure((await b.userDetail(order.phoneNumber, order.pickupCode)).body, 409, /^pickupCode: already used at another machine/);
    expect(await claimOf(quick, order.orderId)).toBe(a.machineNo);
    const sessions = await quick.db.query(`SELECT machine_no, status FROM personalisation_session WHERE order_id = $1`, [order.orderId]);
    expect(sessions).toEqual([{ machine_no: a.machineNo, status: 'FINISHED' }]);

    // Back in service, the kiosk that personalised the card finishes the order.
    await quick.admin('PATCH', `/admin/machines/${a.machineNo}`, { status: 1 });
    expect((await a.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body).toMatchObject({ code: 0 });
  });
});
