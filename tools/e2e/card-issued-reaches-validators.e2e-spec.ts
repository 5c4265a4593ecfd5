import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { loadApp, loadTestSupport } from './load-app';

type Fixtures = typeof import('../../apps/card-issuance/test/support/fixtures');
type Kiosk = typeof import('../../apps/card-issuance/test/support/kiosk-client');
type Validator = typeof import('../../apps/transit-validation/test/validator-client');

const { createMachine, createOrder, issuanceEnv, PROJECT_KEYS } = loadTestSupport<Fixtures>('card-issuance', 'support/fixtures.ts');
const { blankCard, randomUid } = loadTestSupport<Kiosk>('card-issuance', 'support/kiosk-client.ts');
const { ValidatorClient, wireNow } = loadTestSupport<Validator>('transit-validation', 'validator-client.ts');

/**
 * DESIGN flow 1, across real services on one bus: a kiosk finishes a card → card.issued →
 * transit-validation puts it on the whitelist (a new incremental version) → a validator sees it
 * in its next incremental download and accepts it. Then DESIGN flow 2's transit half: the card
 * reported lost (card.status-changed) is refused.
 */
describe('flow: a card printed at a kiosk is accepted on the bus', () => {
  let bus: TestBus;
  let issuance: TestApp & { bus: TestBus };
  let transit: TestApp & { bus: TestBus };

  beforeAll(async () => {
    bus = await TestBus.create();
    [issuance, transit] = await Promise.all([
      startTestApp(loadApp('card-issuance'), { bus, env: issuanceEnv() }),
      startTestApp(loadApp('transit-validation'), { bus }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([issuance?.close(), transit?.close()]);
    await bus?.close();
  });

  it('carries card.issued from the kiosk to the validator whitelist, and a loss back off it', async () => {
    const validator = new ValidatorClient(transit, 'BUS-1', 'L1');
    await validator.register();
    await validator.login();
    const first = await validator.heartbeat();
    expect(first.body.ret_code).toBe(0);
    const versionBefore = first.body.version_code_add;

    // The kiosk journey.
    const kiosk = await createMachine(issuance, 'P1');
    const order = await createOrder(issuance);
    await kiosk.userDetail(order.phoneNumber, order.pickupCode);
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    await kiosk.personalise(card, order.orderId, order.userId);
    const finished = await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(finished.body.code).toBe(0);

    // transit-validation consumed card.issued: a new version, the card valid in the delta.
    const heartbeat = await eventually(async () => {
      const hb = await validator.heartbeat({ version_code_add: versionBefore, version_code_all: first.body.version_code_all });
      return hb.body.version_code_add !== versionBefore ? hb : undefined;
    });
    expect(Number(heartbeat!.body.version_code_add)).toBeGreaterThan(Number(versionBefore));
    const delta = await validator.call('/get_card_list', { req_id: 'inc', type: 2 });
    expect(delta.body).toMatchObject({ ret_code: 0, req_id: 'inc' });
    expect(delta.body.list).toContainEqual(expect.objectContaining({ card_no: card.uid, flag: expect.anything() }));
    expect(String(delta.body.list.find((c: { card_no: string }) => c.card_no === card.uid).flag)).toBe('1');

    const accepted = await validator.call('/card_check', { req_id: 'chk', check_mode: 0, card_id: card.uid, time: wireNow() });
    expect(accepted.body).toMatchObject({ req_id: 'chk', ret_code: 0, sound_no: 0 });

    // campus-card (not yet a service) reports the card lost: the validator refuses it.
    const [issued] = await bus.stored(Events.CardIssued);
    expect(issued).toMatchObject({ uid: card.uid, orderId: order.orderId, producer: 'card-issuance' });
    await bus.publish(Events.CardStatusChanged, { cardNo: issued.cardNo, cardId: card.uid, userCode: order.userId, lost: true, frozen: false, change: 'lost' });
    const refused = await eventually(async () => {
      const res = await validator.call('/card_check', { req_id: 'chk2', check_mode: 0, card_id: card.uid, time: wireNow() });
      return res.body.ret_code !== 0 ? res : undefined;
    });
    expect(refused!.body).toMatchObject({ req_id: 'chk2', ret_code: 2002, sound_no: 2 });
  });
});
