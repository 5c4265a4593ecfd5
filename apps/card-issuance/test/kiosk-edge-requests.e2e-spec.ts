import { rawHttp, rawRequest, startTestApp, TestApp, TestBus } from '@onecard/testing';
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

  it('answers a path parameter over the length limit (was 414 FST_ERR_MAX_PARAM_LENGTH) in the envelope', async () => {
    const res = await kiosk.machineDetail('K'.repeat(101));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(refusal(400, 'url: a path parameter is longer than 100 characters'));
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('answers a malformed percent-escape in the URL (was 400 FST_ERR_BAD_URL) in the envelope', async () => {
    const res = await rawHttp(app.url, rawRequest('GET', `${KIOSK}/machineDetail/%E0%A4%A`));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(refusal(400, 'url: malformed percent-escape in the path'));
  });

  it('answers headers over 16 KB (was a bare 431) in the envelope', async () => {
    const path = `${KIOSK}/machineDetail/${kiosk.machineNo}`;
    const res = await rawHttp(app.url, rawRequest('GET', path, { ...kiosk.headersFor('GET', path, ''), 'x-padding': 'a'.repeat(17 * 1024) }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(refusal(413, 'headers: larger than 16384 bytes in all'));
  });

  it('answers what Node refuses before Fastify sees it in the envelope: a garbage request line, an unknown Expect', async () => {
    const garbage = await rawHttp(app.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.status).toBe(200);
    expect(garbage.body).toEqual(refusal(400, expect.stringMatching(/^request: not well-formed HTTP\/1\.1 \(HPE_/) as unknown as string));
    const expectation = await rawHttp(app.url, rawRequest('POST', `${KIOSK}/saveMachine`, { expect: 'something-else', 'content-type': 'application/json' }, '{}'));
    expect(expectation.status).toBe(200);
    expect(expectation.body).toEqual(refusal(400, 'expect: only 100-continue is supported'));
  });

  it('answers an unknown path, a wrong content type and an oversized body in the envelope', async () => {
    expect((await kiosk.call('POST', `${KIOSK}/noSuchCall`, {})).body).toEqual(refusal(404, 'no such path'));
    const text = await app.http('POST', `${KIOSK}/saveMachine`, '<cardCount>1</cardCount>', { 'content-type': 'application/xml' });
    expect(text.body).toEqual(refusal(400, 'content-type: unsupported media type'));
    const big = await app.http('POST', `${KIOSK}/saveMachine`, { machineNo: kiosk.machineNo, pad: 'x'.repeat(1100 * 1024) });
    expect(big.body).toEqual(refusal(413, 'body: request body too large'));
  });
});
