import { describeBadInputProperty, TEST_ADMIN_TOKEN } from '@onecard/testing';
import { tuyaBridgeApp } from '../src/app.definition';
import { TuyaBridgeConfig } from '../src/config';
import { encryptCardPassword } from '../src/tuya-api/card-password-cipher';
import { EDIT_PASSWORD, HOLD_CARDS, PERSONNEL_CARDS, PERSONNEL_DETAIL } from '../src/tuya-api/personnel-cards.api';
import { TuyaFake } from './support/tuya-fake';

const CLIENT_ID = 'e2eclientdrill7q2mx4';
const SECRET = 'drill5eed2b4a9e8d7c6b5a49382716f';
const PROJECT = 'P-drill';
const personId = (i: number) => String(1_572_065_489_755_000 + i);
const PERSON = personId(2);

/**
 * The harness mutates path parameters; written into the query string, the GET calls' parameters
 * (which the document lets a client send there) are broken the same way.
 */
const query = (names: string[]) => `?${names.map((n) => `${n}=:${n}`).join('&')}`;

// Read by the harness when it starts the app, after the fake below is up.
const env: Record<string, string> = { TUYA_CLIENT_ID: CLIENT_ID, TUYA_CLIENT_SECRET: SECRET, TUYA_PROJECT_IDS: PROJECT, TUYA_SYNC_INTERVAL_S: '0' };
let fake: TuyaFake;
/** edit-password calls the bridge answered with success: each, and only these, may have changed Tuya. */
let acceptedEditPasswords = 0;

describe('tuya-bridge: bad input to the local API and the operator calls', () => {
  beforeAll(async () => {
    fake = await TuyaFake.start({ clientId: CLIENT_ID, secret: SECRET });
    await fake.seed(PROJECT, 6, 2, { disabledEvery: 3, frozenEvery: 4 });
    env.TUYA_ENDPOINT = fake.url;
  });
  afterAll(async () => {
    await fake?.stop();
  });

  /**
   * Issue 12's drill over the document's four calls (operator token; edit-password goes on to the
   * Tuya fake, which refuses or accepts it) and the operator routes. Every answer is Tuya's
   * envelope; 500 there is Tuya's "system error", never an answer to bad input.
   */
  describeBadInputProperty<TuyaBridgeConfig>({
    app: tuyaBridgeApp,
    env,
    setup: async (app) => {
      const synced = await app.admin('POST', '/admin/sync');
      expect(synced.body.result).toMatchObject({ outcome: 'succeeded', persons: 6, cards: 12 });
      return undefined;
    },
    auth: () => ({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` }),
    calls: [
      {
        name: 'personnel-cards (query string)',
        method: 'GET',
        path: PERSONNEL_CARDS + query(['projectId', 'page', 'pageSize', 'enabled', 'holdCard', 'name', 'cardStatus', 'cardType', 'containPassword', 'sex']),
        params: { projectId: PROJECT, page: '1', pageSize: '20', enabled: '1', holdCard: '1', name: '李', cardStatus: '1', cardType: '1', containPassword: '0', sex: '2' },
      },
      {
        name: 'personnel-cards (JSON body)',
        method: 'GET',
        path: PERSONNEL_CARDS,
        validBody: { projectId: PROJECT, page: 1, pageSize: 20, enabled: 1, holdCard: '1', name: '李', structureId: '1439128101413011001', searchType: 2, mobile: '138****0001', feature: 'f', cardStatus: 1, cardNo: '45450001', personId: personId(1), cardType: 1 },
      },
      { name: 'hold-cards (query string)', method: 'GET', path: HOLD_CARDS + query(['projectId', 'personId', 'cardStatus', 'cardNo']), params: { projectId: PROJECT, personId: PERSON, cardStatus: '1', cardNo: '45450003' } },
      { name: 'hold-cards (JSON body)', method: 'GET', path: HOLD_CARDS, validBody: { projectId: PROJECT, personId: PERSON, cardStatus: 1, cardNo: '45450003' } },
      { name: 'personnel-detail (query string)', method: 'GET', path: PERSONNEL_DETAIL + query(['projectId', 'personId']), params: { projectId: PROJECT, personId: PERSON } },
      { name: 'personnel-detail (JSON body)', method: 'GET', path: PERSONNEL_DETAIL, validBody: { projectId: PROJECT, personId: PERSON } },
      { name: 'edit-password (clear password)', method: 'PUT', path: EDIT_PASSWORD, validBody: { projectId: PROJECT, personId: PERSON, clearPassword: false, password: '135790' } },
      { name: 'edit-password (encrypted)', method: 'PUT', path: EDIT_PASSWORD, validBody: { projectId: PROJECT, personId: personId(1), clearPassword: false, encryptPassword: encryptCardPassword('2468', SECRET) } },
      {
        name: 'edit-password (query string)',
        method: 'PUT',
        path: EDIT_PASSWORD + query(['projectId', 'personId', 'clearPassword', 'password']),
        params: { projectId: PROJECT, personId: personId(4), clearPassword: 'false', password: '8642' },
      },
      { name: 'POST /admin/sync', method: 'POST', path: '/admin/sync' },
      { name: 'GET /admin/sync', method: 'GET', path: `/admin/sync${query(['limit', 'offset'])}`, params: { limit: '5', offset: '1' } },
      { name: 'GET /admin/outbox', method: 'GET', path: `/admin/outbox${query(['subject', 'limit', 'offset'])}`, params: { subject: 'onecard.tuya-bridge.card.changed', limit: '10', offset: '0' } },
      {
        name: 'GET /admin/events',
        method: 'GET',
        path: `/admin/events${query(['status', 'subject', 'consumer', 'since', 'limit', 'offset'])}`,
        params: { status: 'dead', subject: 'onecard.tuya-bridge.card.changed', consumer: 'tuya-bridge__onecard_campus-card_card_status-changed', since: '2026-12-01T08:00:00+08:00', limit: '10', offset: '0' },
      },
      // No dead letters here (the bridge consumes nothing): refused as not found, once the id passed.
      { name: 'POST /admin/events/:id/replay', method: 'POST', path: '/admin/events/:id/replay', params: { id: '1' } },
    ],
    envelope: (body: any, request) => {
      const head = { t: expect.any(Number), tid: expect.stringMatching(/^[0-9a-f]{32}$/) };
      if (body?.success === true) expect(body).toEqual({ success: true, ...head, result: expect.anything() });
      else expect(body).toEqual({ success: false, ...head, code: expect.any(Number), msg: expect.any(String) });
      if (body.success && request.path.startsWith(EDIT_PASSWORD)) acceptedEditPasswords++;
      return { ok: body.success, code: body.code ?? 0, message: body.msg };
    },
    internalCodes: [500],
    // Not request_nonce (nothing here is signed by a device) nor inbox (the bridge consumes nothing).
    tables: ['person', 'person_card', 'sync_run', 'tuya_token', 'outbox', 'event_dead_letter'],
  });

  it('forwarded to Tuya only the edit-password calls it accepted', async () => {
    const edits = (await fake.requests()).filter((r) => r.path === EDIT_PASSWORD);
    expect(acceptedEditPasswords).toBeGreaterThan(0);
    expect(edits.filter((r) => r.outcome === 'ok')).toHaveLength(acceptedEditPasswords);
    // Tuya's own refusals (an unknown person, a password it cannot read) are passed on, and changed nothing there.
    expect(edits.filter((r) => r.outcome !== 'ok' && !/^refused (1000|1100|1106|1109) /.test(r.outcome))).toEqual([]);
  });
});
