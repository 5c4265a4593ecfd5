import { TextDecoder } from 'node:util';
import { Events } from '@onecard/contracts';
import { rawHttp, startTestApp, TEST_ADMIN_TOKEN, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { CardIssuanceConfig } from '../src/config';
import { createMachine, issuanceEnv, snapshot } from './support/fixtures';
import { KIOSK, KioskClient } from './support/kiosk-client';

/** GBK bytes of `text` (Node decodes GBK but has no encoder: the table is built from its decoder). */
function gbk(text: string): Buffer {
  const decoder = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) table.set(decoder.decode(Buffer.from([lead, trail])), [lead, trail]);
  }
  return Buffer.from([...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : table.get(c)!)));
}

const refused = (code: number, msg: string) => ({ code, msg, success: false, status: code, data: null });
const OK = { code: 0, msg: 'success', success: true, status: 0, data: '' };

/**
 * Issue 17 items 1 and 4 for kiosks: JSON bodies with no Content-Type, as text/plain or in GBK,
 * stock as decimals and percentages, X-Timestamp in seconds. Each request is the exact bytes on
 * the wire, signed over those bytes as a kiosk signs them.
 */
describe('card-issuance: kiosks as they are in the field', () => {
  let app: TestApp<CardIssuanceConfig> & { bus: TestBus };
  let kiosk: KioskClient;

  /** saveMachine sent as exactly `body` under `contentType` (none when undefined), signed over `signed` (default: the body). */
  const save = (body: Buffer | string, contentType?: string, options: { signed?: Buffer | string; timestamp?: string } = {}) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const path = `${KIOSK}/saveMachine`;
    const headers = kiosk.headersFor('POST', path, options.signed ?? bytes, { timestamp: options.timestamp });
    delete headers['content-type'];
    if (contentType !== undefined) headers['content-type'] = contentType;
    const head = [`POST ${path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${bytes.length}`];
    return rawHttp(app.url, Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), bytes]));
  };
  const stock = (cardCount: string, inkCount: string, cardRopeCover: string, extra = '') =>
    `{"machineNo":"${kiosk.machineNo}","cardCount":"${cardCount}","inkCount":"${inkCount}","cardRopeCover":"${cardRopeCover}"${extra}}`;
  const stored = async () =>
    (await app.db.query(`SELECT card_count, card_count_reported, ink_count, ink_count_reported, card_rope_cover, card_rope_cover_reported FROM machine WHERE machine_no = $1`, [kiosk.machineNo]))[0];

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
    kiosk = await createMachine(app, 'P1');
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('item 1: content types', () => {
    it('reads a signed body with no Content-Type as JSON', async () => {
      const res = await save(stock('11', '12', '13'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(OK);
      expect(await stored()).toMatchObject({ card_count: '11', ink_count: '12', card_rope_cover: '13' });
    });

    it('reads text/plain as JSON, the signature over the bytes as sent', async () => {
      expect((await save(stock('21', '22', '23'), 'text/plain')).body).toEqual(OK);
      expect((await save(stock('24', '22', '23'), 'text/plain; charset=utf-8')).body).toEqual(OK);
      expect(await stored()).toMatchObject({ card_count: '24', ink_count: '22', card_rope_cover: '23' });
      // Same JSON value, other bytes signed: refused.
      const before = await snapshot(app);
      const res = await save(`{ "machineNo": "${kiosk.machineNo}", "cardCount": "1", "inkCount": "1", "cardRopeCover": "1" }`, 'text/plain', { signed: stock('1', '1', '1') });
      expect(res.body).toEqual(refused(401, 'x-signature: signature does not match the request'));
      expect(await snapshot(app)).toBe(before);
    });

    it('decodes application/json; charset=GBK as GBK and checks the signature over the GBK bytes', async () => {
      // A remark in Chinese the firmware adds (unknown fields are dropped). 運 is 0xDF 0x5C in GBK:
      // read as UTF-8, its second byte would escape the closing quote.
      const text = stock('31', '32', '33', ',"remark":"东门自助機運"');
      const body = gbk(text);
      expect(body.includes(Buffer.from([0xdf, 0x5c, 0x22]))).toBe(true);
      expect((await save(body, 'application/json; charset=GBK')).body).toEqual(OK);
      expect(await stored()).toMatchObject({ card_count: '31', ink_count: '32', card_rope_cover: '33' });
      // Signed over the UTF-8 text but sent in GBK: not what was signed.
      const before = await snapshot(app);
      expect((await save(gbk(stock('1', '1', '1', ',"remark":"东门"')), 'application/json; charset=GBK', { signed: stock('1', '1', '1', ',"remark":"东门"') })).body).toEqual(
        refused(401, 'x-signature: signature does not match the request'),
      );
      expect(await snapshot(app)).toBe(before);
    });

    it('reads application/json; charset=utf-8 as before', async () => {
      expect((await save(stock('41', '42', '43', ',"remark":"东门"'), 'application/json; charset=utf-8')).body).toEqual(OK);
      expect(await stored()).toMatchObject({ card_count: '41' });
    });

    it('answers an unparseable body with one clear error and changes nothing', async () => {
      const before = await snapshot(app);
      expect((await save(stock('1', '1', '1').slice(0, 40))).body).toEqual(refused(400, 'body: malformed JSON'));
      expect((await save(`{"machineNo":"${kiosk.machineNo}",cardCount:1}`, 'text/plain')).body).toEqual(refused(400, 'body: malformed JSON'));
      expect((await save(Buffer.from([0x7b, 0x22, 0x81, 0x20, 0x22, 0x7d]), 'application/json; charset=gbk')).body).toEqual(refused(400, 'body: not valid gbk text'));
      expect((await save(stock('1', '1', '1'), 'application/xml')).body).toEqual(refused(400, 'content-type: unsupported media type'));
      expect(await snapshot(app)).toBe(before);
    });

    it('says how to send a JSON body that came under another type (a form)', async () => {
      const res = await save(stock('5', '5', '5'), 'application/x-www-form-urlencoded');
      expect(res.body).toEqual(
        refused(401, 'x-signature: signature does not match the request (send the JSON body as application/json, text/plain or without a content type, not application/x-www-form-urlencoded)'),
      );
    });

    it('keeps operator calls strict', async () => {
      const res = await rawHttp(
        app.url,
        `PATCH /admin/machines/${kiosk.machineNo} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\nauthorization: Bearer ${TEST_ADMIN_TOKEN}\r\ncontent-length: 12\r\n\r\n{"status":2}`,
      );
      expect(res.body).toEqual(refused(400, 'content-type: unsupported media type'));
      expect((await app.db.query(`SELECT status FROM machine WHERE machine_no = $1`, [kiosk.machineNo]))[0].status).toBe(1);
    });
  });

  describe('item 4: stock counts', () => {
    it("stores '85.5' and '85%' as reported, with a numeric level that drives the low-stock alarm", async () => {
      kiosk = await createMachine(app, 'P1'); // a fresh machine: no alarm of the tests above in flight
      const low = app.bus.collect(Events.MachineStockLow);
      await app.admin('PATCH', `/admin/machines/${kiosk.machineNo}`, { lowStockThresholds: { cardCount: 50, inkCount: 90, cardRopeCover: 20 } });
      expect((await save(stock('120', '85.5', '85%'), 'application/json')).body).toEqual(OK);
      expect(await stored()).toEqual({ card_count: '120', card_count_reported: '120', ink_count: '85.5', ink_count_reported: '85.5', card_rope_cover: '85', card_rope_cover_reported: '85%' });
      expect((await kiosk.machineDetail()).body.data).toMatchObject({ cardCount: '120', inkCount: '85.5', cardRopeCover: '85%' });
      const admin = await app.admin('GET', `/admin/machines/${kiosk.machineNo}`);
      expect(admin.body.data).toMatchObject({
        stock: { cardCount: 120, inkCount: 85.5, cardRopeCover: 85 },
        stockReported: { cardCount: '120', inkCount: '85.5', cardRopeCover: '85%' },
        lowStock: { cardCount: false, inkCount: true, cardRopeCover: false },
      });
      // 19.5 % is below 20: low. The event's remaining is whole (its contract), still below.
      expect((await save(stock('120', '85.5', '19.5%'), 'application/json')).body).toEqual(OK);
      await low.waitFor(2);
      expect((await low.settle(300)).map((e) => [e.machineNo, e.item, e.remaining, e.threshold])).toEqual([
        [kiosk.machineNo, 'inkCount', 85, 90],
        [kiosk.machineNo, 'cardRopeCover', 19, 20],
      ]);
      // 20% is the threshold: restocked.
      expect((await save(stock('120', '90', '20%'), 'application/json')).body).toEqual(OK);
      expect((await app.admin('GET', `/admin/machines/${kiosk.machineNo}`)).body.data.lowStock).toEqual({ cardCount: false, inkCount: false, cardRopeCover: false });
      low.stop();
    });

    it("refuses 'abc', naming the field, and changes nothing", async () => {
      const before = await snapshot(app);
      expect((await save(stock('120', 'abc', '85%'), 'application/json')).body).toEqual(
        refused(400, 'inkCount must be a number from 0 to 999999999: a count, a decimal or a percentage (120, 85.5, 85%)'),
      );
      expect((await save(stock('-3', '1', '1'), 'application/json')).body).toEqual(
        refused(400, 'cardCount must be a number from 0 to 999999999: a count, a decimal or a percentage (120, 85.5, 85%)'),
      );
      expect(await snapshot(app)).toBe(before);
    });
  });

  describe('item 4: X-Timestamp in seconds', () => {
    it('accepts a 10-digit seconds timestamp, signed as sent', async () => {
      const seconds = String(Math.floor(Date.now() / 1000));
      expect((await save(stock('7', '7', '7'), 'application/json', { timestamp: seconds })).body).toEqual(OK);
      expect((await kiosk.machineDetail(kiosk.machineNo, { timestamp: seconds })).body.code).toBe(0);
      // The nonce is still single use.
      expect((await kiosk.replay()).body).toEqual(refused(401, 'x-nonce: already used; sign a retried request again with a new nonce'));
    });

    it('refuses stale seconds and other lengths, changing nothing', async () => {
      const before = await snapshot(app);
      const stale = String(Math.floor(Date.now() / 1000) - 301);
      expect((await save(stock('1', '1', '1'), 'application/json', { timestamp: stale })).body).toEqual(refused(401, 'x-timestamp: more than 300 s from server time'));
      const future = String(Math.floor(Date.now() / 1000) + 302);
      expect((await kiosk.machineDetail(kiosk.machineNo, { timestamp: future })).body).toEqual(refused(401, 'x-timestamp: more than 300 s from server time'));
      expect((await kiosk.machineDetail(kiosk.machineNo, { timestamp: '173230000000' })).body).toEqual(
        refused(401, 'x-timestamp: must be unix time in milliseconds (13 digits) or seconds (10 digits)'),
      );
      expect(await snapshot(app)).toBe(before);
    });
  });
});
