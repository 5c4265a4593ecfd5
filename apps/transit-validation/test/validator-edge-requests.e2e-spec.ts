import { rawHttp, rawRequest, startTestApp, TEST_ADMIN_TOKEN, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { rowCount, ValidatorClient } from './validator-client';

/** Requests a validator's HTTP stack should never send, answered in the validator envelope all the same (issue 12, items 3 and 4). */
describe('transit-validation: malformed requests get the validator envelope', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  async function snapshot(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of ['location_report', 'device_status', 'card_check', 'whitelist_card', 'outbox', 'request_nonce', 'device']) {
      out[table] = await rowCount(app, `SELECT 1 FROM ${table}`);
    }
    return out;
  }

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_HEARTBEAT_FLUSH_MS: '20' } });
    bus = await new ValidatorClient(app, 'BUS-EDGE1', 'L1').register();
    await bus.login();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a req_id nested 3,000 deep, naming the body, and changes nothing', async () => {
    const before = await snapshot();
    const deep = `${'['.repeat(3000)}"r"${']'.repeat(3000)}`;
    const body = `{"req_id":${deep},"token":"${bus.token}","device_id":"${bus.deviceId}","time":"2026-11-30 12:00:00","lng":"114.05","lat":"22.54"}`;
    for (const path of ['/location_report', '/card_check', '/get_token']) {
      const res = await app.http('POST', path, body, { 'content-type': 'application/json' });
      expect(res.status).toBe(200);
      // The req_id cannot be read from a body that was not parsed, so it is not echoed.
      expect(res.body).toEqual({ ret_code: 1001, ret_msg: 'body: nested too deeply (limit 32)', ...(path === '/card_check' ? { sound_no: 0 } : {}) });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers a path parameter over the length limit (was 414 FST_ERR_MAX_PARAM_LENGTH) in the envelope', async () => {
    const res = await app.admin('GET', `/admin/devices/${'B'.repeat(101)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret_code: 1001, ret_msg: 'url: a path parameter is longer than 100 characters' });
  });

  it('answers a malformed percent-escape in the URL (was 400 FST_ERR_BAD_URL) in the envelope', async () => {
    const res = await rawHttp(app.url, rawRequest('GET', '/admin/devices/BUS%E0%A4%A', { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret_code: 1001, ret_msg: 'url: malformed percent-escape in the path' });
  });

  it('answers headers over 16 KB (was a bare 431) in the envelope', async () => {
    const before = await snapshot();
    const body = JSON.stringify({ req_id: 'big', token: bus.token, device_id: bus.deviceId, check_mode: 0, card_id: 'C0FFEE01', time: '2026-11-30 12:00:00' });
    const res = await rawHttp(app.url, rawRequest('POST', '/card_check', { 'content-type': 'application/json', 'x-padding': 'a'.repeat(17 * 1024) }, body));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // Refused by Node's HTTP parser: no body was read, so no req_id to echo.
    expect(res.body).toEqual({ ret_code: 1007, ret_msg: 'headers: larger than 16384 bytes in all' });
    expect(await snapshot()).toEqual(before);
  });

  it('answers a garbage request line in the envelope', async () => {
    const res = await rawHttp(app.url, 'GET /card_check HTTP/1.1\r\nbad header line\r\n\r\n');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret_code: 1001, ret_msg: expect.stringMatching(/^request: not well-formed HTTP\/1\.1 \(HPE_/) });
  });
});
