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
});
