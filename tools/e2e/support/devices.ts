import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { EventPayload, Events } from '@onecard/contracts';
import { eventually, HttpResult, TestApp } from '@onecard/testing';
import { loadTestSupport } from '../load-app';

type IssuanceFixtures = typeof import('../../../apps/card-issuance/test/support/fixtures');
type Kiosk = typeof import('../../../apps/card-issuance/test/support/kiosk-client');
type Validator = typeof import('../../../apps/transit-validation/test/validator-client');
type CampusSupport = typeof import('../../../apps/campus-card/test/support/campus');
type AttendancePlatform = typeof import('../../../apps/wage-attendance/test/support/platform-client');
type Terminal = typeof import('../../../apps/wage-attendance/test/support/terminal-client');

const issuance = () => loadTestSupport<IssuanceFixtures>('card-issuance', 'support/fixtures.ts');
const kiosk = () => loadTestSupport<Kiosk>('card-issuance', 'support/kiosk-client.ts');
export const campus = () => loadTestSupport<CampusSupport>('campus-card', 'support/campus.ts');
const validator = () => loadTestSupport<Validator>('transit-validation', 'validator-client.ts');
const attendance = () => loadTestSupport<AttendancePlatform>('wage-attendance', 'support/platform-client.ts');
const terminal = () => loadTestSupport<Terminal>('wage-attendance', 'support/terminal-client.ts');

export interface PrintedCard {
  orderId: string;
  /** Physical card id: what validators and terminals read. */
  uid: string;
}

/**
 * A kiosk prints a card for `userId` (the campus userCode) as a kiosk does: the operator's order,
 * the holder's pickup code, online personalisation of a blank card, finish.
 */
export async function printCardAtKiosk(app: TestApp, userId: string): Promise<PrintedCard> {
  const { createMachine, createOrder, PROJECT_KEYS } = issuance();
  const { blankCard, randomUid } = kiosk();
  const machine = await createMachine(app, 'P1');
  const order = await createOrder(app, { userId });
  expect((await machine.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
  const card = blankCard(randomUid(), PROJECT_KEYS.P1);
  await machine.personalise(card, order.orderId, order.userId);
  const finished = await machine.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid });
  expect(finished.body).toMatchObject({ code: 0, success: true });
  return { orderId: order.orderId, uid: card.uid };
}

let printedCards = 0;

/**
 * card.issued as card-issuance publishes it when a kiosk finishes an open-card order for `userId`,
 * for drills that need a bound card but not the kiosk's journey (the test publishes it).
 */
export function kioskIssued(userId: string): EventPayload<typeof Events.CardIssued> {
  const n = ++printedCards;
  return {
    orderId: `2024${randomBytes(7).toString('hex')}`,
    orderType: 1,
    userId,
    userName: '张三',
    companyId: 'C001',
    companyName: '一卡通科技有限公司',
    projectId: 'P1',
    machineNo: 'K1',
    uid: `04${randomBytes(6).toString('hex').toUpperCase()}`,
    cardNo: `0001${String(Date.now() % 1e8).padStart(8, '0')}${String(n).padStart(4, '0')}`,
    expiryDate: '20301231',
  };
}

/** A campus cardholder with an app of the school's (an OAuth2 client) acting for them. */
export class Cardholder {
  private constructor(
    private readonly app: TestApp,
    readonly userCode: string,
    private readonly queryPassword: string,
    private readonly token: string,
  ) {}

  /** A new campus user (`userCode` or a fresh one), and their token for reading the card and setting it lost (card_info, write_card_info). */
  static async create(app: TestApp, userCode?: string): Promise<Cardholder> {
    const { createClient, createUser, userToken } = campus();
    const user = await createUser(app, userCode === undefined ? {} : { userCode });
    const token = await userToken(app, await createClient(app), user, ['card_info', 'write_card_info']);
    return new Cardholder(app, user.userCode, user.queryPassword, token);
  }

  /** 获取校园卡信息: the cardholder's cards as the API answers them. */
  card(): Promise<HttpResult> {
    return campus().call(this.app, 'GET', '/v1/me/card', this.token);
  }

  /** 设置卡信息和状态: lost=true reports the card lost, lost=false found again. */
  setLost(cardNo: string, lost: boolean): Promise<HttpResult> {
    return campus().call(this.app, 'POST', '/v1/me/card', this.token, { cardNo, queryPassword: this.queryPassword, lost });
  }
}

/** A bus validator on line L1, registered and logged in. */
export async function busValidator(app: TestApp, deviceId: string) {
  const { ValidatorClient, wireNow } = validator();
  const device = new ValidatorClient(app, deviceId, 'L1');
  await device.register();
  await device.login();
  return {
    device,
    /** card_check online: what the validator is told about a tapped card. */
    check: async (cardId: string): Promise<{ ret_code: number; sound_no: number }> => {
      const res = await device.call('/card_check', { req_id: `chk-${cardId}`, check_mode: 0, card_id: cardId, time: wireNow() });
      expect(res.body).toMatchObject({ req_id: `chk-${cardId}` });
      return { ret_code: res.body.ret_code, sound_no: res.body.sound_no };
    },
  };
}

export type BusValidator = Awaited<ReturnType<typeof busValidator>>;

/** What the validator is told (transit-validation's README, check outcomes): valid, invalid (lost, frozen), not on the list. */
export const ACCEPTED = { ret_code: 0, sound_no: 0 };
export const REFUSED = { ret_code: 2002, sound_no: 2 };
export const NOT_LISTED = { ret_code: 2001, sound_no: 1 };

/** A site gate (wage-attendance terminal) and a worker holding `cardNo`, authorised on it. */
export async function siteGate(app: TestApp, name: string, cardNo: string) {
  const { call, newDeviceKey } = attendance();
  const { recordGuid, TerminalClient } = terminal();
  const gate = await TerminalClient.create(app, newDeviceKey(name));
  const worker = (await call(app, '/person/create', { cardNo, name: '工人' })).body.result.guid as string;
  expect((await call(app, '/person/authorize', { guids: worker, permission: 3, deviceKey: gate.deviceKey })).body.success).toBe(true);
  return {
    gate,
    /** The terminal's identify upload of a card tap (recMode 2) and the server's judgement. */
    tap: async (card = cardNo): Promise<{ type: number; cardBlocked: boolean; pass: boolean }> => {
      const res = await gate.identify({ guid: recordGuid(), personGuid: worker, showTime: String(Date.now()), type: 1, recMode: 2, cardNo: card });
      expect(res.body).toMatchObject({ success: true, code: 200 });
      const { type, cardBlocked, pass } = res.body.result;
      return { type, cardBlocked, pass };
    },
  };
}

export type SiteGate = Awaited<ReturnType<typeof siteGate>>;

export const PASSES = { type: 1, cardBlocked: false, pass: true };
export const BLOCKED = { type: 2, cardBlocked: true, pass: false };

/**
 * Polls `probe` until it answers `expected` (an event on its way to another service) and returns
 * the last answer, for the caller's `expect(…).toEqual(expected)` to show what it was instead.
 */
export async function becomes<T>(probe: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<T> {
  let last!: T;
  await eventually(async () => isDeepStrictEqual((last = await probe()), expected), timeoutMs).catch(() => undefined);
  return last;
}
