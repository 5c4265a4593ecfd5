import { request } from 'undici';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp, TestBus } from '@onecard/testing';
import { tuyaBridgeApp } from '../src/app.definition';
import { TuyaBridgeConfig } from '../src/config';
import { encryptCardPassword } from '../src/tuya-api/card-password-cipher';
import { TuyaFake } from './support/tuya-fake';

const CLIENT_ID = 'e2eclientapi8w3cfp7k';
const SECRET = 'api5eed2b4a9e8d7c6b5a49382716f0a';
const PROJECT = 'P-api';
const LIST = '/v1.0/iot-02/building/personnel-cards';
const personId = (i: number) => String(1_572_065_489_755_000 + i);

/** The list entry's fields, as the document's response example names them. */
const LIST_FIELDS = ['cert_area', 'contain_password', 'enabled', 'hold_card_num', 'image_path', 'mobile', 'mobile_country', 'name', 'person_id', 'sex', 'sex_str', 'structure_ids', 'structure_names'];

describe('tuya-bridge: the local personnel-card API', () => {
  let fake: TuyaFake;
  let app: TestApp<TuyaBridgeConfig> & { bus: TestBus };

  beforeAll(async () => {
    fake = await TuyaFake.start({ clientId: CLIENT_ID, secret: SECRET });
    // 12 persons; 4, 8, 12 disabled; persons 10 and 11 hold no card (removed below).
    await fake.seed(PROJECT, 12, 2, { disabledEvery: 4, frozenEvery: 5 });
    for (const i of [10, 11]) for (const c of [1, 2]) await fake.control('DELETE', `/projects/${PROJECT}/cards/${1_567_452_642_714_000 + (i - 1) * 2 + c}`);
    app = await startTestApp(tuyaBridgeApp, {
      env: { TUYA_ENDPOINT: fake.url, TUYA_CLIENT_ID: CLIENT_ID, TUYA_CLIENT_SECRET: SECRET, TUYA_PROJECT_IDS: PROJECT, TUYA_SYNC_INTERVAL_S: '0' },
    });
    expect((await app.admin('POST', '/admin/sync')).body.result).toMatchObject({ outcome: 'succeeded', persons: 12, cards: 20 });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  const get = (path: string) => app.admin('GET', path);
  /** A GET with a JSON body, as a client following the document's "body" would send (fetch cannot). */
  async function getWithBody(path: string, body: unknown): Promise<any> {
    const res = await request(`${app.url}${path}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return res.body.json();
  }

  it('lists persons a page at a time in Tuya\'s envelope and the document\'s fields', async () => {
    const first = await get(`${LIST}?projectId=${PROJECT}&page=1&pageSize=4`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ success: true, t: expect.any(Number), tid: expect.stringMatching(/^[0-9a-f]{32}$/), result: { total: 9, list: expect.any(Array) } });
    expect(first.body.result.list.map((p: any) => p.person_id)).toEqual([1, 2, 3, 5].map(personId));
    expect(Object.keys(first.body.result.list[0]).sort()).toEqual(LIST_FIELDS);
    expect(first.body.result.list[0]).toEqual({
      person_id: personId(1), name: '李芳1', enabled: 1, sex: 2, sex_str: '女', cert_area: 'CN', mobile_country: '+86', mobile: '138****0001',
      image_path: `saas/building/building_faceImg/${personId(1)}.jpg`, structure_ids: ['1439128101413011001'], structure_names: ['根组织'], hold_card_num: 2,
      contain_password: 0,
    });
    const last = await get(`${LIST}?projectId=${PROJECT}&page=3&pageSize=4`);
    expect(last.body.result).toMatchObject({ total: 9, list: [{ person_id: personId(11) }] });
    expect((await get(`${LIST}?projectId=${PROJECT}&page=4&pageSize=4`)).body.result).toEqual({ total: 9, list: [] });
    expect((await get(`${LIST}?projectId=${PROJECT}&enabled=2`)).body.result.list.map((p: any) => p.person_id)).toEqual([4, 8, 12].map(personId));
  });

  it('filters as the document lists, from the query string, a JSON body or snake_case names', async () => {
    const ids = (answer: any) => answer.result.list.map((p: any) => p.person_id);
    expect(ids((await get(`${LIST}?projectId=${PROJECT}&holdCard=0`)).body)).toEqual([10, 11].map(personId));
    expect(ids((await get(`${LIST}?projectId=${PROJECT}&cardNo=45450003`)).body)).toEqual([personId(2)]);
    // Every 5th card is frozen: cards 5 and 15 belong to persons 3 and 8 (disabled), card 10 to person 5.
    expect(ids((await get(`${LIST}?projectId=${PROJECT}&cardStatus=2`)).body)).toEqual([3, 5].map(personId));
    expect(ids((await get(`${LIST}?project_id=${PROJECT}&person_id=${personId(6)}`)).body)).toEqual([personId(6)]);
    expect(ids(await getWithBody(LIST, { projectId: PROJECT, name: '李芳', pageSize: 10 }))).toEqual([personId(1)]);
    // A name in both: the body's value.
    expect(ids(await getWithBody(`${LIST}?projectId=${PROJECT}&personId=${personId(1)}`, { personId: personId(2) }))).toEqual([personId(2)]);
    expect(ids((await get(`${LIST}?projectId=${PROJECT}&structureId=1439128101413011001&pageSize=2`)).body)).toEqual([1, 2].map(personId));
    expect((await get(`${LIST}?projectId=${PROJECT}&name=%25`)).body.result.total).toBe(0);
  });

  it('answers one person\'s cards and details from the synced copy', async () => {
    const cards = await get(`${LIST}/actions/hold-cards?projectId=${PROJECT}&personId=${personId(3)}`);
    expect(cards.body.result).toEqual({
      all_num: 2, freeze_num: 1, normal_num: 1,
      card_list: [
        {
          name: '刘敏3', person_card_id: '1567452642714005', card_no: '45450005', project_id: PROJECT, person_id: personId(3), card_type: 1, card_status: 2,
          bind_face: 1, activation_time: 1662544811542, contain_password: 0, structure_names: ['根组织'], mobile_country: '+86', mobile: '138****0003',
        },
        expect.objectContaining({ person_card_id: '1567452642714006', card_status: 1, activation_time: 1662544812542 }),
      ],
    });
    expect((await get(`${LIST}/actions/hold-cards?projectId=${PROJECT}&personId=${personId(3)}&cardNo=45450006`)).body.result).toMatchObject({ all_num: 1, card_list: [{ card_no: '45450006' }] });
    expect((await get(`${LIST}/actions/hold-cards?projectId=${PROJECT}&personId=${personId(10)}`)).body.result).toEqual({ all_num: 0, card_list: [], freeze_num: 0, normal_num: 0 });
    expect((await get(`${LIST}/actions/personnel-detail?projectId=${PROJECT}&personId=${personId(3)}`)).body.result).toEqual({
      person_id: personId(3), name: '刘敏3', mobile_country: '+86', mobile: '138****0003', image_path: `saas/building/building_faceImg/${personId(3)}.jpg`,
      structure_names: ['根组织'], contain_password: 0,
    });
  });

  it('sets a card password in Tuya (encrypted by the bridge, or as the caller encrypted it) and clears it', async () => {
    const put = (body: unknown) => app.admin('PUT', `${LIST}/actions/edit-password`, body);
    expect((await put({ projectId: PROJECT, personId: personId(1), clearPassword: false, password: '135790' })).body).toMatchObject({ success: true, result: true });
    expect((await fake.person(PROJECT, personId(1))).containPassword).toBe(1);
    expect((await get(`${LIST}/actions/personnel-detail?projectId=${PROJECT}&personId=${personId(1)}`)).body.result.contain_password).toBe(1);

    const encryptPassword = encryptCardPassword('2468', SECRET);
    expect((await put({ projectId: PROJECT, personId: personId(2), clearPassword: 'false', encryptPassword })).body).toMatchObject({ success: true, result: true });
    expect((await fake.person(PROJECT, personId(2))).containPassword).toBe(1);
    expect((await put({ projectId: PROJECT, personId: personId(1), clearPassword: true })).body).toMatchObject({ success: true, result: true });
    expect((await fake.person(PROJECT, personId(1))).containPassword).toBe(0);

    // Tuya's own refusal comes back as Tuya gave it.
    const unknown = await put({ projectId: PROJECT, personId: '999', clearPassword: false, password: '1234' });
    expect(unknown.body).toEqual({ success: false, t: expect.any(Number), tid: expect.any(String), code: 1000, msg: 'data not exist' });
    const [{ count }] = await app.db.query(`SELECT count(*)::int AS count FROM sync_run`);
    expect(count).toBe(1);
  });

  it('answers bad input in Tuya\'s envelope naming the field, and changes nothing', async () => {
    const failure = (code: number, msg: string | RegExp) => ({ success: false, t: expect.any(Number), tid: expect.any(String), code, msg: typeof msg === 'string' ? msg : expect.stringMatching(msg) });
    const fakeBefore = await fake.person(PROJECT, personId(3));
    const rowsBefore = await app.db.query(`SELECT * FROM person ORDER BY person_id`);
    const cases: Array<[() => Promise<any>, ReturnType<typeof failure>]> = [
      [() => get(LIST).then((r) => r.body), failure(1109, 'projectId is required')],
      [() => get(`${LIST}?projectId=${PROJECT}&pageSize=0`).then((r) => r.body), failure(1109, 'pageSize must be 1 or more')],
      [() => get(`${LIST}?projectId=${PROJECT}&page=abc`).then((r) => r.body), failure(1109, 'page must be an integer')],
      [() => get(`${LIST}?projectId=${PROJECT}&enabled=3`).then((r) => r.body), failure(1109, 'enabled must be 1 (enabled) or 2 (disabled)')],
      [() => get(`${LIST}?projectId=${PROJECT}&holdCard=2`).then((r) => r.body), failure(1109, /^holdCard must be 0/)],
      [() => get(`${LIST}?projectId=${PROJECT}&page=1&page=2`).then((r) => r.body), failure(1109, 'page must be given once')],
      [() => get(`${LIST}?projectId=a%00b`).then((r) => r.body), failure(1109, /^projectId: must not contain the NUL character/)],
      [() => getWithBody(LIST, { projectId: PROJECT, pageSize: 'x' }), failure(1109, 'pageSize must be an integer')],
      [() => getWithBody(LIST, [PROJECT]), failure(1109, 'body must be a JSON object')],
      [() => getWithBody(LIST, '{"projectId": '), failure(1109, 'body: malformed JSON')],
      [() => get(`${LIST}/actions/hold-cards?projectId=${PROJECT}`).then((r) => r.body), failure(1109, 'personId is required')],
      [() => get(`${LIST}/actions/hold-cards?projectId=${PROJECT}&personId=${personId(3)}&cardStatus=frozen`).then((r) => r.body), failure(1109, 'cardStatus must be 1 (normal) or 2 (frozen)')],
      [() => get(`${LIST}/actions/personnel-detail?projectId=${PROJECT}&personId=nobody`).then((r) => r.body), failure(1000, `personId: no person nobody in project ${PROJECT}`)],
      [() => get(`${LIST}?projectId=elsewhere`).then((r) => r.body), failure(1106, 'projectId: project elsewhere is not synced by this bridge')],
      [() => app.http('GET', `${LIST}?projectId=${PROJECT}`).then((r) => r.body), failure(1011, /authorization/i)],
      [() => app.admin('PUT', `${LIST}/actions/edit-password`, { projectId: PROJECT, personId: personId(3) }).then((r) => r.body), failure(1109, 'clearPassword is required')],
      [() => app.admin('PUT', `${LIST}/actions/edit-password`, { projectId: PROJECT, personId: personId(3), clearPassword: 'no' }).then((r) => r.body), failure(1109, 'clearPassword must be true or false')],
      [() => app.admin('PUT', `${LIST}/actions/edit-password`, { projectId: PROJECT, personId: personId(3), clearPassword: false }).then((r) => r.body), failure(1109, 'encryptPassword (or password) is required unless clearPassword is true')],
      [() => app.admin('PUT', `${LIST}/actions/edit-password`, { projectId: PROJECT, personId: personId(3), clearPassword: false, password: '12ab' }).then((r) => r.body), failure(1109, 'password must be 4 to 12 digits')],
      [
        () => app.admin('PUT', `${LIST}/actions/edit-password`, { projectId: PROJECT, personId: personId(3), clearPassword: false, password: '1234', encryptPassword: encryptCardPassword('1234', SECRET) }).then((r) => r.body),
        failure(1109, 'password: give password or encryptPassword, not both'),
      ],
      [() => app.admin('PUT', `${LIST}/actions/edit-password`, { projectId: PROJECT, personId: personId(3), clearPassword: false, encryptPassword: 'xyz' }).then((r) => r.body), failure(1109, /^encryptPassword must be the encrypted password in hex/)],
    ];
    for (const [answer, expected] of cases) expect(await answer()).toEqual(expected);
    expect(await fake.person(PROJECT, personId(3))).toEqual(fakeBefore);
    expect(await app.db.query(`SELECT * FROM person ORDER BY person_id`)).toEqual(rowsBefore);
  });
});
