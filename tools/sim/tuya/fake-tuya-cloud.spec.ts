import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { TuyaContext } from '@tuya/tuya-connector-nodejs';
import { FakeTuyaCloud } from './fake-tuya-cloud';

const CLIENT_ID = 'txq8mwyw3cfp7kn9jd4r';
const SECRET = 'c0ffee5eed2b4a9e8d7c6b5a49382716';
const PROJECT = '1424615984265764';
const LIST = '/v1.0/iot-02/building/personnel-cards';

interface Answer {
  status: number;
  body: any;
}

/** A raw request with the headers given (for signatures the connector would never make). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* plain text */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the Tuya Cloud fake', () => {
  let fake: FakeTuyaCloud;
  let connector: TuyaContext;

  beforeEach(async () => {
    fake = new FakeTuyaCloud({ clientId: CLIENT_ID, secret: SECRET, maxPageSize: 10 });
    fake.store.seed({ projectId: PROJECT, persons: 23, cardsPerPerson: 2, disabledEvery: 5, frozenEvery: 3 });
    await fake.start();
    connector = new TuyaContext({ baseUrl: fake.url, accessKey: CLIENT_ID, secretKey: SECRET });
  });
  afterEach(() => fake.stop());

  /** Headers the official connector signs for this request at this instant (its token included). */
  async function officialHeaders(method: string, path: string, query: Record<string, unknown>, body: object): Promise<Record<string, string>> {
    await connector.client.init();
    const { path: _path, ...headers } = await connector.client.getSignHeaders(path, method, { ...query }, body);
    return headers as unknown as Record<string, string>;
  }

  it('accepts Tuya\'s official connector and pages the list as the document\'s examples show (snake_case)', async () => {
    const seen: string[] = [];
    let total = 0;
    for (let page = 1; page <= 3; page++) {
      const answer = await connector.request<any>({ path: LIST, method: 'GET', query: { projectId: PROJECT, page, pageSize: 50 } });
      expect(answer).toMatchObject({ success: true, t: expect.any(Number), tid: expect.stringMatching(/^[0-9a-f]{32}$/) });
      total = answer.result.total;
      seen.push(...answer.result.list.map((p: any) => p.person_id));
      if (page === 1) {
        expect(Object.keys(answer.result.list[0]).sort()).toEqual(
          ['cert_area', 'contain_password', 'enabled', 'hold_card_num', 'image_path', 'mobile', 'mobile_country', 'name', 'person_id', 'sex', 'sex_str', 'structure_ids', 'structure_names'],
        );
      }
    }
    // 23 persons, every 5th disabled: 19 enabled (the list's default), 10 a page at most.
    expect(total).toBe(19);
    expect(new Set(seen).size).toBe(19);
    const disabled = await connector.request<any>({ path: LIST, method: 'GET', query: { projectId: PROJECT, enabled: 2 } });
    expect(disabled.result.total).toBe(4);

    const cards = await connector.request<any>({ path: `${LIST}/actions/hold-cards`, method: 'GET', query: { projectId: PROJECT, personId: seen[0] } });
    expect(cards.result).toMatchObject({ all_num: 2, card_list: [expect.objectContaining({ person_id: seen[0], card_status: 1 }), expect.anything()] });
  });

  it('takes a card password encrypted as the bridge assumes (AES-128-ECB under the secret\'s first 16 bytes) and refuses one it cannot read', async () => {
    const personId = fake.store.persons(PROJECT)[0].personId;
    const cipher = createCipheriv('aes-128-ecb', Buffer.from(SECRET.slice(0, 16)), null);
    const encryptPassword = Buffer.concat([cipher.update('246810'), cipher.final()]).toString('hex').toUpperCase();
    const put = (encrypted: string) =>
      connector.request<any>({ path: `${LIST}/actions/edit-password`, method: 'PUT', body: { projectId: PROJECT, personId, clearPassword: false, encryptPassword: encrypted } });
    expect(await put(encryptPassword)).toMatchObject({ success: true, result: true });
    expect(fake.store.person(PROJECT, personId)?.containPassword).toBe(1);
    expect(await put('246810')).toMatchObject({ success: false, code: 1109 });
  });

  it('refuses a request signed with the wrong secret, a tampered query, a stale t, another client and a reused nonce', async () => {
    const headers = await officialHeaders('PUT', `${LIST}/actions/edit-password`, {}, { projectId: PROJECT });
    const body = JSON.stringify({ projectId: PROJECT });
    // As signed: accepted (the person is missing, which is the API's own answer, after the signature check).
    expect((await send(fake.url, 'PUT', `${LIST}/actions/edit-password`, { ...headers, nonce: 'n1' }, body)).body).toMatchObject({ success: false, code: 1004 });
    // (A nonce is part of the signature: adding one the signer did not sign breaks it.)
    const signed = await send(fake.url, 'PUT', `${LIST}/actions/edit-password`, headers, body);
    expect(signed.body).toMatchObject({ success: false, code: 1000, msg: 'data not exist' });

    const wrongSecret = new TuyaContext({ baseUrl: fake.url, accessKey: CLIENT_ID, secretKey: `${SECRET.slice(0, -1)}7` });
    expect(await wrongSecret.request({ path: LIST, method: 'GET', query: { projectId: PROJECT } }).catch((e) => e.message)).toMatch(/GET_TOKEN_FAILED 1004, sign invalid/);

    const get = await officialHeaders('GET', LIST, { projectId: PROJECT, page: 1 }, {});
    expect((await send(fake.url, 'GET', `${LIST}?page=1&projectId=${PROJECT}`, get, '{}')).body).toMatchObject({ success: true });
    expect((await send(fake.url, 'GET', `${LIST}?page=2&projectId=${PROJECT}`, get, '{}')).body).toMatchObject({ success: false, code: 1004, msg: 'sign invalid' });
    expect((await send(fake.url, 'GET', `${LIST}?page=1&projectId=${PROJECT}`, get, '{"x":1}')).body).toMatchObject({ success: false, code: 1004 });
    expect((await send(fake.url, 'GET', `${LIST}?page=1&projectId=${PROJECT}`, { ...get, t: String(Date.now() - 10 * 60_000) }, '{}')).body).toMatchObject({ code: 1013 });
    expect((await send(fake.url, 'GET', `${LIST}?page=1&projectId=${PROJECT}`, { ...get, client_id: 'someoneelse' }, '{}')).body).toMatchObject({ code: 1005 });
    expect(fake.log.filter((r) => r.outcome.startsWith('refused 1004')).length).toBeGreaterThanOrEqual(4);

    // With a nonce in the signature (the connector sends none): once accepted, then refused as a replay.
    const t = String(Date.now());
    const stringToSign = `GET\n${createHash('sha256').update('').digest('hex')}\n\n${LIST}?projectId=${PROJECT}`;
    const sign = createHmac('sha256', SECRET).update(`${CLIENT_ID}${get.access_token}${t}nonce-42${stringToSign}`).digest('hex').toUpperCase();
    const withNonce = { client_id: CLIENT_ID, access_token: get.access_token, t, nonce: 'nonce-42', sign, sign_method: 'HMAC-SHA256' };
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, withNonce)).body).toMatchObject({ success: true });
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, withNonce)).body).toMatchObject({ success: false, code: 1004, msg: 'sign invalid: nonce already used' });
  });

  it('expires tokens after their lifetime and on command, and the connector\'s stale token is refused', async () => {
    await connector.request({ path: LIST, method: 'GET', query: { projectId: PROJECT } });
    const headers = await officialHeaders('GET', LIST, { projectId: PROJECT }, {});
    fake.tokens.expireAll(Date.now());
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, headers, '{}')).body).toMatchObject({ success: false, code: 1010, msg: 'token is expired' });
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, { ...headers, access_token: 'forged' }, '{}')).body).toMatchObject({ code: 1004 });

    const fresh = await officialHeaders('GET', LIST, { projectId: PROJECT }, {});
    fake.tokens.expireAfter(1);
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, fresh, '{}')).body).toMatchObject({ success: true });
    const again = await officialHeaders('GET', LIST, { projectId: PROJECT }, {});
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, again, '{}')).body).toMatchObject({ code: 1010 });
  });

  it('fails on command: 503s, rate limits and an outage, then answers again', async () => {
    fake.faults.add({ kind: 'http-503', remaining: 2 });
    fake.faults.add({ kind: 'rate-limit', remaining: 1, path: LIST });
    const token = await send(fake.url, 'GET', '/v1.0/token?grant_type=1', {});
    expect(token.status).toBe(503);
    expect((await send(fake.url, 'GET', '/v1.0/token?grant_type=1', {})).status).toBe(503);
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, {})).body).toMatchObject({ success: false, code: 1199 });
    expect(await connector.request({ path: LIST, method: 'GET', query: { projectId: PROJECT } })).toMatchObject({ success: true });
    fake.faults.outage = 'http-503';
    expect((await send(fake.url, 'GET', `${LIST}?projectId=${PROJECT}`, {})).status).toBe(503);
    fake.faults.clear();
    expect(await connector.request({ path: LIST, method: 'GET', query: { projectId: PROJECT } })).toMatchObject({ success: true });
  });
});
