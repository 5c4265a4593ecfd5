import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, issuanceEnv, snapshot } from './support/fixtures';
import { KIOSK, KioskClient } from './support/kiosk-client';

/** Requests a kiosk's HTTP stack should never send, answered in the kiosk envelope all the same (issue 12, items 3 and 4). */
describe('card-issuance: malformed requests get the kiosk envelope', () => {
  let app: TestApp & { bus: TestBus };
  let kiosk: KioskClient;

  const refusal = (code: number, msg: string) => ({ code, msg, success: false, status: code, data: null });

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
    kiosk = await createMachine(app, 'P1');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a body nested 1,500 deep (cardCount), naming the body, and changes nothing', async () => {
    const before = await snapshot(app);
    const deep = `${'['.repeat(1500)}"1"${']'.repeat(1500)}`;
    const body = `{"machineNo":"${kiosk.machineNo}","cardCount":${deep},"inkCount":"1","cardRopeCover":"1"}`;
    const res = await kiosk.call('POST', `${KIOSK}/saveMachine`, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(refusal(400, 'body: nested too deeply (limit 32)'));
    expect(await snapshot(app)).toBe(before);
  });
});
