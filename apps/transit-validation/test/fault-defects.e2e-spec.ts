import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { rowCount, ValidatorClient, wireNow } from './validator-client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The defects found under bad input and faults (issue 12), each with the exact request that showed it. */
describe('transit-validation: defects found under bad input and faults', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_HEARTBEAT_FLUSH_MS: '20' } });
    bus = await new ValidatorClient(app, 'BUS-F1', 'L1').register();
    await bus.login();
    expect((await app.admin('POST', '/admin/cards', { card_no: 'FA017001', flag: 1 })).body.ret_code).toBe(0);
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('2. a repeated online card_check', () => {
    it('is one row and one card.checked however often it is sent', async () => {
      const checks = app.bus.collect(Events.CardChecked);
      const body = { req_id: 'rep-1', token: bus.token, device_id: 'BUS-F1', check_mode: 0, card_id: 'FA017001', time: wireNow(), lng: '114.05', lat: '22.54' };
      for (let i = 0; i < 3; i++) {
        if (i > 0) await sleep(300);
        const res = await app.http('POST', '/card_check', body);
        expect(res.body).toEqual({ req_id: 'rep-1', ret_code: 0, ret_msg: '成功', sound_no: 0 });
      }
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM card_check WHERE card_id = 'FA017001'`)) === 1);
      const [published] = await checks.waitFor(1);
      expect(published).toMatchObject({ deviceId: 'BUS-F1', lineId: 'L1', cardId: 'FA017001', mode: 'online', outcome: 'valid' });
      // Long enough for two more flushes and the relay to have published anything they wrote.
      expect(await checks.settle(800)).toHaveLength(1);
      const stored = (await app.bus.stored(Events.CardChecked)).filter((e) => e.cardId === 'FA017001');
      expect(stored.map((e) => e.eventId)).toEqual([published.eventId]);
      expect(await rowCount(app, `SELECT 1 FROM card_check WHERE card_id = 'FA017001'`)).toBe(1);
      expect(await rowCount(app, `SELECT 1 FROM outbox WHERE subject LIKE '%card.checked'`)).toBe(1);
      checks.stop();
    });
  });

  describe('6. validator tokens', () => {
    it('refuse a valid token with junk appended, in the body or as a bearer header, and store nothing', async () => {
      const heartbeats = await rowCount(app, `SELECT 1 FROM location_report`);
      const checks = await rowCount(app, `SELECT 1 FROM card_check`);
      const refused = { req_id: 'junk', ret_code: 1102, ret_msg: 'token: not a token this server issued' };
      for (const junk of ['!', '*', '~', '=', '\udc00']) {
        const heartbeat = await bus.heartbeat({ req_id: 'junk', token: bus.token + junk });
        expect([junk, heartbeat.body]).toEqual([junk, refused]);
        const check = await bus.call('/card_check', { req_id: 'junk', token: bus.token + junk, check_mode: 0, card_id: 'FA017001', time: wireNow() });
        expect([junk, check.body]).toEqual([junk, { ...refused, sound_no: 0 }]);
        if (junk !== '\udc00') {
          // A header cannot carry a lone surrogate; the other four can.
          const viaHeader = await app.http('POST', '/get_qrcode_keys', { req_id: 'junk' }, { authorization: `Bearer ${bus.token}${junk}`, 'content-type': 'application/json' });
          expect([junk, viaHeader.body]).toEqual([junk, refused]);
        }
      }
      // The token itself still works, so what was refused was the junk.
      expect((await bus.heartbeat({ req_id: 'clean' })).body).toMatchObject({ req_id: 'clean', ret_code: 0 });
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM location_report`)) === heartbeats + 1);
      await sleep(100);
      expect(await rowCount(app, `SELECT 1 FROM location_report`)).toBe(heartbeats + 1);
      expect(await rowCount(app, `SELECT 1 FROM card_check`)).toBe(checks);
    });
  });
});
