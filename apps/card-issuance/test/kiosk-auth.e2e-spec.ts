import { startTestApp, TestApp } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, issuanceEnv, snapshot } from './support/fixtures';
import { KIOSK, KioskClient } from './support/kiosk-client';

function failure(body: any, code: number, msg: RegExp) {
  expect(body).toEqual({ code, msg: expect.stringMatching(msg), success: false, status: code, data: null });
}

describe('card-issuance: kiosk request signatures', () => {
  let app: TestApp;
  let kiosk: KioskClient;

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
    kiosk = await createMachine(app, 'P1');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('accepts a correctly signed GET and POST, including the query string in the signed path', async () => {
    expect((await kiosk.machineDetail()).body.code).toBe(0);
    const withQuery = await kiosk.call('GET', `${KIOSK}/machineDetail/${kiosk.machineNo}?lang=zh`);
    expect(withQuery.body.code).toBe(0);
    expect((await kiosk.saveMachine({ cardCount: '1', inkCount: '2', cardRopeCover: '3' })).body.code).toBe(0);
  });

  it('refuses missing or malformed headers, naming the header', async () => {
    for (const h of ['x-machine-no', 'x-timestamp', 'x-nonce', 'x-signature']) {
      failure((await kiosk.machineDetail(kiosk.machineNo, { omit: [h] })).body, 401, new RegExp(`^${h}: header required`));
    }
    failure((await kiosk.machineDetail(kiosk.machineNo, { nonce: 'short' })).body, 401, /^x-nonce: malformed/);
    failure((await kiosk.machineDetail(kiosk.machineNo, { timestamp: '173230000000' })).body, 401, /^x-timestamp: must be unix time in milliseconds \(13 digits\) or seconds \(10 digits\)$/);
  });

  it('refuses a bad signature, another secret, a tampered body and an unknown machine; nothing changes', async () => {
    const before = await snapshot(app);
    failure((await kiosk.machineDetail(kiosk.machineNo, { signature: 'f'.repeat(64) })).body, 401, /^x-signature: signature does not match/);
    failure((await kiosk.machineDetail(kiosk.machineNo, { secret: 'a'.repeat(64) })).body, 401, /^x-signature/);
    const tampered = await kiosk.call('POST', `${KIOSK}/saveMachine`, { machineNo: kiosk.machineNo, cardCount: '9', inkCount: '9', cardRopeCover: '9' }, {
      send: JSON.stringify({ machineNo: kiosk.machineNo, cardCount: '0', inkCount: '9', cardRopeCover: '9' }),
    });
    failure(tampered.body, 401, /^x-signature/);
    // Same JSON value, different bytes: the signature covers the raw body, not a re-serialisation.
    const spaced = await kiosk.call('POST', `${KIOSK}/saveMachine`, `{"machineNo":"${kiosk.machineNo}","cardCount":"9","inkCount":"9","cardRopeCover":"9"}`, {
      send: `{ "machineNo": "${kiosk.machineNo}", "cardCount": "9", "inkCount": "9", "cardRopeCover": "9" }`,
    });
    failure(spaced.body, 401, /^x-signature/);
    const stranger = new KioskClient(app, 'NO-SUCH-KIOSK', 'a'.repeat(64));
    failure((await stranger.machineDetail()).body, 401, /^x-machine-no: unknown machine/);
    expect(await snapshot(app)).toBe(before);
  });

  it('says a correctly signed JSON body must be sent as JSON (application/json, text/plain or no type), not as a form', async () => {
    const raw = JSON.stringify({ machineNo: kiosk.machineNo, cardCount: '5', inkCount: '5', cardRopeCover: '5' });
    const headers = { ...kiosk.headersFor('POST', `${KIOSK}/saveMachine`, raw), 'content-type': 'application/x-www-form-urlencoded' };
    const res = await fetch(`${app.url}${KIOSK}/saveMachine`, { method: 'POST', headers, body: raw });
    failure(
      await res.json(),
      401,
      /^x-signature: signature does not match the request \(send the JSON body as application\/json, text\/plain or without a content type, not application\/x-www-form-urlencoded\)$/,
    );
    // text/plain is read as JSON (issue 17), signed over its bytes.
    const plain = JSON.stringify({ machineNo: kiosk.machineNo, cardCount: '6', inkCount: '6', cardRopeCover: '6' });
    const asText = await fetch(`${app.url}${KIOSK}/saveMachine`, { method: 'POST', headers: { ...kiosk.headersFor('POST', `${KIOSK}/saveMachine`, plain), 'content-type': 'text/plain' }, body: plain });
    expect(((await asText.json()) as { code: number }).code).toBe(0);
  });

  it('signs the body as sent, whitespace included', async () => {
    const raw = `{ "machineNo": "${kiosk.machineNo}", "cardCount": "7", "inkCount": "7", "cardRopeCover": "7" }`;
    expect((await kiosk.call('POST', `${KIOSK}/saveMachine`, raw)).body.code).toBe(0);
  });

  it('refuses a replayed request and a stale or future timestamp', async () => {
    const first = await kiosk.saveMachine({ cardCount: '5', inkCount: '5', cardRopeCover: '5' });
    expect(first.body.code).toBe(0);
    const before = await snapshot(app);
    // An HTTP-level retry resends the same bytes: still refused, and told how to retry.
    failure((await kiosk.replay()).body, 401, /^x-nonce: already used; sign a retried request again with a new nonce$/);
    failure((await kiosk.machineDetail(kiosk.machineNo, { timestamp: String(Date.now() - 5 * 60_000 - 5000) })).body, 401, /^x-timestamp: more than 300 s/);
    failure((await kiosk.machineDetail(kiosk.machineNo, { timestamp: String(Date.now() + 5 * 60_000 + 5000) })).body, 401, /^x-timestamp/);
    expect(await snapshot(app)).toBe(before);
    // A nonce is per machine and single-use; a fresh one passes.
    expect((await kiosk.machineDetail()).body.code).toBe(0);
  });

  it("refuses a machineNo that is not the signer's", async () => {
    const other = await createMachine(app, 'P1');
    failure((await kiosk.machineDetail(other.machineNo)).body, 403, /^machineNo: not the machine that signed/);
    const res = await kiosk.call('POST', `${KIOSK}/saveMachine`, { machineNo: other.machineNo, cardCount: '1', inkCount: '1', cardRopeCover: '1' });
    failure(res.body, 403, /^machineNo: not the machine that signed/);
  });

  it('lets a disabled machine read its details and nothing else; re-enabling restores it', async () => {
    const k = await createMachine(app, 'P1');
    const off = await app.admin('PATCH', `/admin/machines/${k.machineNo}`, { status: 2 });
    expect(off.body.data.status).toBe(2);
    const detail = await k.machineDetail();
    expect(detail.body).toMatchObject({ code: 0, data: { status: 2 } });
    failure((await k.saveMachine({ cardCount: '1', inkCount: '1', cardRopeCover: '1' })).body, 403, /^x-machine-no: machine is disabled/);
    failure((await k.userDetail('13900000000', '123456')).body, 403, /disabled/);
    failure((await k.getApdu({ orderId: '1', userId: '1', uid: '04A1B2C3' })).body, 403, /disabled/);
    failure((await k.report({ apduIndex: '1', rapdu: '9000', result: '0x00', userId: '1', uid: '04A1B2C3' })).body, 403, /disabled/);
    failure((await k.finish({ orderId: '1', userId: '1', uid: '04A1B2C3' })).body, 403, /disabled/);
    await app.admin('PATCH', `/admin/machines/${k.machineNo}`, { status: 1 });
    expect((await k.saveMachine({ cardCount: '1', inkCount: '1', cardRopeCover: '1' })).body.code).toBe(0);
  });

  it('stops accepting the old secret once rotated', async () => {
    const k = await createMachine(app, 'P1');
    const rotated = await app.admin('POST', `/admin/machines/${k.machineNo}/secret`);
    expect(rotated.body.data).toEqual({ machineNo: k.machineNo, secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    failure((await k.machineDetail()).body, 401, /^x-signature/);
    expect((await new KioskClient(app, k.machineNo, rotated.body.data.secret).machineDetail()).body.code).toBe(0);
  });
});
