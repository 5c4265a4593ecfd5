import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorClient } from './validator-client';

describe("transit-validation: a deployment's own voice packages", () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_SOUND_NOS: 'not-listed:21,invalid:0' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers refusals with the configured sound_no, the defaults elsewhere', async () => {
    const bus = await (await new ValidatorClient(app, 'BUS-V1', 'L1').register()).login();
    await app.admin('POST', '/admin/cards', { card_no: 'B10C4ED1', flag: 0 });
    await app.admin('PUT', '/admin/devices/BUS-V1/config', { is_line_white: 1 });
    await app.admin('POST', '/admin/cards', { card_no: 'E15E0001', flag: 1, line_ids: ['L9'] });
    // Configuration and list changes reach the replica's caches within moments.
    const answer = (card: string, retCode: number) =>
      eventually(async () => {
        const res = await bus.cardCheck(card);
        return res.body.ret_code === retCode ? res.body : undefined;
      }, 3000);
    expect(await answer('ABCDEF12', 2001)).toMatchObject({ sound_no: 21 });
    expect(await answer('B10C4ED1', 2002)).toMatchObject({ sound_no: 0 });
    expect(await answer('E15E0001', 2004)).toMatchObject({ sound_no: 4 });
  });
});
