import { runBatch } from '@onecard/apdu';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, issuanceEnv, PROJECT_KEYS, startedSession } from './support/fixtures';
import { blankCard, KioskClient, randomUid } from './support/kiosk-client';

describe('card-issuance: a personalisation session the kiosk leaves idle expires', () => {
  let app: TestApp & { bus: TestBus };
  let kiosk: KioskClient;

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv({ PERSONALISATION_IDLE_SECONDS: '2' }) });
    kiosk = await createMachine(app, 'P1');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('closes it as EXPIRED, refuses a late report, and lets the kiosk start again with a new card', async () => {
    const { order, uid, card, first } = await startedSession(app, kiosk);
    const r = runBatch(card, first.body.data.cApdus);
    const second = await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid });
    expect(second.body).toMatchObject({ code: 0, data: { isFinished: false } });

    // The kiosk goes quiet.
    const expired = await eventually(async () => {
      const [row] = await app.db.query(`SELECT status, failure FROM personalisation_session WHERE order_id = $1`, [order.orderId]);
      return row?.status === 'EXPIRED' ? row : undefined;
    }, 5000);
    expect(expired).toEqual({ status: 'EXPIRED', failure: 'no report for 2 s' });

    const r2 = runBatch(card, second.body.data.cApdus);
    const late = await kiosk.report({ apduIndex: String(r2.lastIndex), rapdu: r2.rapdu, result: '0x00', userId: order.userId, uid });
    expect(late.body).toEqual({ code: 409, msg: expect.stringMatching(/^uid: this session expired/), success: false, status: 409, data: null });
    const [orderRow] = await app.db.query(`SELECT status, uid FROM card_order WHERE order_id = $1`, [order.orderId]);
    expect(orderRow).toEqual({ status: 'PENDING', uid: null });

    // Start again with a new card: a full session within the idle limit finishes the order.
    const fresh = blankCard(randomUid(), PROJECT_KEYS.P1);
    const bodies = await kiosk.personalise(fresh, order.orderId, order.userId);
    expect(bodies[bodies.length - 1]).toMatchObject({ code: 0, data: { isFinished: true } });
    const done = await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: fresh.uid });
    expect(done.body).toMatchObject({ code: 0 });
    const statuses = await app.db.query(`SELECT status FROM personalisation_session WHERE order_id = $1 ORDER BY id`, [order.orderId]);
    expect(statuses.map((s: { status: string }) => s.status)).toEqual(['EXPIRED', 'FINISHED']);
  });
});
