import { ApduStep, blankCardFor, runBatch, Sm4MacFold, VirtualCpuCard } from '@onecard/apdu';
import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { CardIssuanceConfig } from '../src/config';
import { createMachine, createOrder, issuanceEnv, PROJECT_KEYS } from './support/fixtures';
import { KioskClient, randomUid } from './support/kiosk-client';

/** An SM4 card whose COS checks MACs in the form `sm4MacFold`, keyed for project P2. */
function sm4Card(sm4MacFold: Sm4MacFold): VirtualCpuCard {
  return blankCardFor({ uid: randomUid(), algorithm: 'SM4', projectMasterKey: Buffer.from(PROJECT_KEYS.P2, 'hex'), sm4MacFold });
}

/** An order of project P2 redeemed at `kiosk`. */
async function redeemedOrder(app: TestApp, kiosk: KioskClient) {
  const order = await createOrder(app, { projectId: 'P2' });
  expect((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
  return order;
}

describe('card-issuance: CARD_SM4_MAC_FOLD, the SM4 MAC form of the deployment\'s cards', () => {
  let app: TestApp<CardIssuanceConfig> & { bus: TestBus };

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv({ CARD_ALGORITHM: 'SM4', CARD_SM4_MAC_FOLD: 'none' }) });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("with none, personalises and finishes a card whose COS does not fold; the session records the form", async () => {
    const kiosk = await createMachine(app, 'P2');
    const order = await redeemedOrder(app, kiosk);
    const card = sm4Card('none');
    await kiosk.personalise(card, order.orderId, order.userId);
    expect(card.readCardholder()).toMatchObject({ name: '张三', company: '一卡通科技有限公司' });
    expect((await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body.code).toBe(0);
    const [session] = await app.db.query(`SELECT status, state->>'sm4MacFold' AS fold FROM personalisation_session WHERE order_id = $1`, [order.orderId]);
    expect(session).toEqual({ status: 'FINISHED', fold: 'none' });
  });

  it('with none, a card that folds refuses WRITE KEY 00 (#10) with 6988 and the kiosk gets the failed session', async () => {
    const kiosk = await createMachine(app, 'P2');
    const order = await redeemedOrder(app, kiosk);
    const card = sm4Card('xor-halves');
    let res = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    let batch: ApduStep[] = res.body.data.cApdus;
    for (;;) {
      const r = runBatch(card, batch);
      res = await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid: card.uid });
      if (res.body.code !== 0) break;
      batch = res.body.data.cApdus;
    }
    expect(res.body).toEqual({
      code: 422, success: false, status: 422, data: null,
      msg: expect.stringMatching(/^rapdu: command #10 \(WRITE KEY 00 .*\) returned 6988 .*MAC incorrect.*personalisation failed/),
    });
  });

  it('keeps a session on the form it started with when another replica is set otherwise', async () => {
    // A replica of the same deployment (schema, sealing key, bus) but for the fold.
    const env = issuanceEnv({ CARD_ALGORITHM: 'SM4', CARD_SM4_MAC_FOLD: 'xor-halves', MACHINE_SECRET_KEY: app.config.MACHINE_SECRET_KEY as string });
    const other = await startTestApp(cardIssuanceApp, { env: { ...env, DB_SCHEMA: app.schema }, bus: app.bus, keepSchema: true });
    try {
      const kiosk = await createMachine(app, 'P2');
      const onOther = new KioskClient(other, kiosk.machineNo, kiosk.secret);
      const order = await redeemedOrder(app, kiosk);
      const card = sm4Card('none');
      // Started here (none), every report answered by the replica set to xor-halves.
      let batch: ApduStep[] = (await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body.data.cApdus;
      for (let n = 0; n < 20; n++) {
        const r = runBatch(card, batch);
        const res = await onOther.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid: card.uid });
        expect(res.body.code).toBe(0);
        if (res.body.data.isFinished) break;
        batch = res.body.data.cApdus;
      }
      expect((await onOther.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body.code).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('stops start-up naming CARD_SM4_MAC_FOLD when it is neither xor-halves nor none', async () => {
    await expect(startTestApp(cardIssuanceApp, { env: issuanceEnv({ CARD_ALGORITHM: 'SM4', CARD_SM4_MAC_FOLD: 'left4' }) })).rejects.toMatchObject({
      name: 'ConfigError',
      variable: 'CARD_SM4_MAC_FOLD',
      message: 'Invalid configuration: CARD_SM4_MAC_FOLD must be xor-halves or none',
    });
  });
});
