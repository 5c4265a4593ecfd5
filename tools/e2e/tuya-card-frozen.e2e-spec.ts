import { Events } from '@onecard/contracts';
import { startTestApp, TestBus } from '@onecard/testing';
import { FakeTuyaCloud } from '../sim/tuya/fake-tuya-cloud';
import { loadApp } from './load-app';
import { closeAll, inboxCount, RunningApp, startApp, startSupervisionPlatform } from './support/apps';
import { ACCEPTED, becomes, BLOCKED, busValidator, NOT_LISTED, PASSES, REFUSED, siteGate } from './support/devices';

const CLIENT_ID = 'e2ejourneyq4mwyw3cfp';
const SECRET = 'e2e5eed2b4a9e8d7c6b5a49382716f0b';
const PROJECT = '1424615984265799';
/** The fake's seeded ids and numbers: person 1 holds card 1, person 2 card 2. */
const PERSON_1 = '1572065489755001';
const CARD_1 = { personCardId: '1567452642714001', cardNo: '45450001' };
const CARD_2 = { personCardId: '1567452642714002', cardNo: '45450002' };

/**
 * DESIGN flow 3 across real services: a building card frozen in Tuya Cloud (the fake) → tuya-bridge's
 * sync → card.changed → wage-attendance blocks the card at its gates, and transit-validation marks
 * it invalid on the whitelist (its README: status 2 → invalid, 1 → valid, deleted → removed).
 */
describe('journey: a Tuya building card frozen, restored and removed, seen by a site gate and a validator', () => {
  let bus: TestBus;
  let tuya: FakeTuyaCloud;
  let bridge: RunningApp;
  let transit: RunningApp;
  let attendance: RunningApp;
  let platform: Awaited<ReturnType<typeof startSupervisionPlatform>>;

  beforeAll(async () => {
    bus = await TestBus.create();
    tuya = new FakeTuyaCloud({ clientId: CLIENT_ID, secret: SECRET });
    tuya.store.seed({ projectId: PROJECT, persons: 2, cardsPerPerson: 1 });
    await tuya.start();
    platform = await startSupervisionPlatform();
    [bridge, transit, attendance] = await Promise.all([
      startTestApp(loadApp('tuya-bridge'), {
        bus,
        env: { TUYA_ENDPOINT: tuya.url, TUYA_CLIENT_ID: CLIENT_ID, TUYA_CLIENT_SECRET: SECRET, TUYA_PROJECT_IDS: PROJECT, TUYA_SYNC_INTERVAL_S: '0', TUYA_TIMEOUT_MS: '2000' },
      }),
      startApp('transit', bus),
      startApp('attendance', bus, { platformUrl: platform.url }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await closeAll(bridge, transit, attendance, platform, tuya);
    await bus?.close();
  });

  /** An operator's sync (POST /admin/sync) and the card.changed events it published. */
  async function sync(expected: number) {
    const changes = bus.collect(Events.TuyaCardChanged);
    const res = await bridge.admin('POST', '/admin/sync');
    expect(res.body).toMatchObject({ success: true, result: { outcome: 'succeeded' } });
    const events = await changes.waitFor(expected);
    expect(await changes.settle(200)).toHaveLength(expected);
    changes.stop();
    return { result: res.body.result, events };
  }

  it('carries each Tuya card state to the gate and the validator, once per change', async () => {
    const validator = await busValidator(transit, 'BUS-T1');
    const gate = await siteGate(attendance, 'TUYA-GATE', CARD_1.cardNo);

    // First sync: both cards appear, normal: the validator takes them, the gate lets them through.
    const first = await sync(2);
    expect(first.result).toMatchObject({ persons: 2, cards: 2, created: 2, updated: 0, deleted: 0 });
    expect(first.events.map((e) => [e.cardNo, e.cardStatus, e.change, e.reason])).toEqual([
      [CARD_1.cardNo, 1, 'created', 'card-added'],
      [CARD_2.cardNo, 1, 'created', 'card-added'],
    ]);
    for (const card of [CARD_1, CARD_2]) expect(await becomes(() => validator.check(card.cardNo), ACCEPTED)).toEqual(ACCEPTED);
    expect(await gate.tap()).toEqual(PASSES);

    // Frozen in Tuya: one card.changed; blocked at the gate, refused on the bus; the other card untouched.
    tuya.store.putCard(PROJECT, CARD_1.personCardId, { cardStatus: 2 });
    const frozen = await sync(1);
    expect(frozen.result).toMatchObject({ created: 0, updated: 1, deleted: 0 });
    expect(frozen.events).toEqual([
      {
        eventId: expect.any(String), occurredAt: expect.any(String), producer: 'tuya-bridge',
        projectId: PROJECT, personId: PERSON_1, personCardId: CARD_1.personCardId, cardNo: CARD_1.cardNo, cardStatus: 2, change: 'updated', reason: 'card-status',
      },
    ]);
    expect(await becomes(() => gate.tap(), BLOCKED)).toEqual(BLOCKED);
    expect(await becomes(() => validator.check(CARD_1.cardNo), REFUSED)).toEqual(REFUSED);
    expect(await validator.check(CARD_2.cardNo)).toEqual(ACCEPTED);
    const [block] = await attendance.db.query(`SELECT blocked, reason, source FROM card_block WHERE card_key = $1`, [CARD_1.cardNo]);
    expect(block).toEqual({ blocked: true, reason: 'frozen', source: 'tuya-bridge' });
    expect([await inboxCount(transit, frozen.events[0].eventId), await inboxCount(attendance, frozen.events[0].eventId)]).toEqual([1, 1]);
    // The incremental whitelist a validator downloads carries the card as invalid.
    const delta = await validator.device.call('/get_card_list', { req_id: 'inc', type: 2 });
    expect(delta.body.list).toContainEqual(expect.objectContaining({ card_no: CARD_1.cardNo }));
    expect(String(delta.body.list.find((c: { card_no: string }) => c.card_no === CARD_1.cardNo).flag)).toBe('0');

    // A sync with nothing changed in Tuya publishes nothing.
    expect((await sync(0)).result).toMatchObject({ created: 0, updated: 0, deleted: 0 });

    // Restored in Tuya: both take it again.
    tuya.store.putCard(PROJECT, CARD_1.personCardId, { cardStatus: 1 });
    expect((await sync(1)).events[0]).toMatchObject({ cardNo: CARD_1.cardNo, cardStatus: 1, change: 'updated', reason: 'card-status' });
    expect(await becomes(() => gate.tap(), PASSES)).toEqual(PASSES);
    expect(await becomes(() => validator.check(CARD_1.cardNo), ACCEPTED)).toEqual(ACCEPTED);

    // Removed from Tuya: off the whitelist, blocked at the gate.
    tuya.store.removeCard(PROJECT, CARD_1.personCardId);
    expect((await sync(1)).events[0]).toMatchObject({ cardNo: CARD_1.cardNo, change: 'deleted', reason: 'card-removed' });
    expect(await becomes(() => gate.tap(), BLOCKED)).toEqual(BLOCKED);
    expect(await becomes(() => validator.check(CARD_1.cardNo), NOT_LISTED)).toEqual(NOT_LISTED);
    expect(await validator.check(CARD_2.cardNo)).toEqual(ACCEPTED);
  }, 60_000);
});
