import { startTestApp, TestApp, TestBus } from '@onecard/testing';
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
});
