import { TextDecoder } from 'node:util';
import { eventually, rawHttp, startTestApp, TEST_ADMIN_TOKEN, TestApp } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorClient, wireNow } from './validator-client';

/** GBK bytes of `text` (Node decodes GBK but has no encoder: the table is built from its decoder). */
function gbk(text: string): Buffer {
  const decoder = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) table.set(decoder.decode(Buffer.from([lead, trail])), [lead, trail]);
  }
  return Buffer.from([...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : table.get(c)!)));
}

/**
 * Issue 17 item 1: validators send their JSON bodies with no Content-Type, as text/plain, or in
 * GBK; each is read as JSON. Every request here is the exact bytes on the wire (rawHttp: fetch
 * would add a content type of its own).
 */
describe('transit-validation: JSON bodies however validators label them', () => {
  let app: TestApp<TransitValidationConfig>;
  let bus: ValidatorClient;

  /** A POST of exactly these headers and body bytes. */
  const post = (path: string, headers: Record<string, string>, body: Buffer | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const head = [`POST ${path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${bytes.length}`];
    return rawHttp(app.url, Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), bytes]));
  };
  const heartbeat = (reqId: string, softwareVer = '102') =>
    `{"req_id":"${reqId}","token":"${bus.token}","device_id":"BUS-C1","time":"${wireNow()}","lng":"114.05","lat":"22.54","check_mode":0,` +
    `"check_card_mode":0,"qrcode_mode":1,"card_mode":1,"white_mode":1,"version_code_all":"","version_code_add":"","software_ver":"${softwareVer}",` +
    `"line_version_code_all":"","is_line_white":0}`;
  const storedVersion = (reqIdCount: number) =>
    eventually(async () => {
      const rows = await app.db.query(`SELECT software_ver, software_ver_raw FROM location_report WHERE device_id = 'BUS-C1' ORDER BY received_at`);
      return rows.length >= reqIdCount ? rows[reqIdCount - 1] : undefined;
    });

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp);
    bus = await (await new ValidatorClient(app, 'BUS-C1', 'L1').register()).login();
    expect((await app.admin('POST', '/admin/cards', { card_no: 'C0DE0001', flag: 1 })).body.ret_code).toBe(0);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reads a body with no Content-Type as JSON (get_token, heartbeat, card check)', async () => {
    const token = await post('/get_token', {}, JSON.stringify(bus.signedTokenRequest({ req_id: 'tok-none' })));
    expect(token.body).toMatchObject({ req_id: 'tok-none', ret_code: 0, token: expect.any(String) });
    const res = await post('/location_report', {}, heartbeat('none-1'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ req_id: 'none-1', ret_code: 0, ret_msg: '成功' });
    expect(await storedVersion(1)).toEqual({ software_ver: 102, software_ver_raw: null });
    const tap = `{"req_id":"tap-none","token":"${bus.token}","device_id":"BUS-C1","check_mode":0,"card_id":"C0DE0001","time":"${wireNow()}"}`;
    expect((await post('/card_check', {}, tap)).body).toEqual({ req_id: 'tap-none', ret_code: 0, ret_msg: '成功', sound_no: 0 });
  });

  it('reads text/plain as JSON (it used to answer 1101, token missing)', async () => {
    const res = await post('/location_report', { 'content-type': 'text/plain' }, heartbeat('plain-1'));
    expect(res.body).toMatchObject({ req_id: 'plain-1', ret_code: 0, ret_msg: '成功' });
    const utf8 = await post('/location_report', { 'content-type': 'text/plain;charset=UTF-8' }, heartbeat('plain-2', '固件1.0'));
    expect(utf8.body).toMatchObject({ req_id: 'plain-2', ret_code: 0 });
    expect(await storedVersion(3)).toEqual({ software_ver: null, software_ver_raw: '固件1.0' });
  });

  it('decodes application/json; charset=GBK as GBK: Chinese text stored and echoed as sent', async () => {
    // 運 is 0xDF 0x5C in GBK: read as UTF-8 its second byte would escape the closing quote.
    const body = gbk(heartbeat('心跳-運', '固件運'));
    expect(body.includes(Buffer.from([0xdf, 0x5c, 0x22]))).toBe(true);
    const res = await post('/location_report', { 'content-type': 'application/json; charset=GBK' }, body);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({ req_id: '心跳-運', ret_code: 0, ret_msg: '成功' });
    expect(await storedVersion(4)).toEqual({ software_ver: null, software_ver_raw: '固件運' });
    // gb2312 and gb18030 labels too, and text/plain with a charset.
    const plain = await post('/location_report', { 'content-type': 'text/plain; charset=gb2312' }, gbk(heartbeat('心跳-2', '固件二')));
    expect(plain.body).toMatchObject({ req_id: '心跳-2', ret_code: 0 });
    expect(await storedVersion(5)).toEqual({ software_ver: null, software_ver_raw: '固件二' });
  });

  it('reads application/json; charset=utf-8 (and UTF8) as before', async () => {
    expect((await post('/location_report', { 'content-type': 'application/json; charset=utf-8' }, heartbeat('u8-1', '版本3'))).body).toMatchObject({ req_id: 'u8-1', ret_code: 0 });
    expect((await post('/location_report', { 'content-type': 'application/json;charset="UTF8"' }, heartbeat('u8-2'))).body).toMatchObject({ req_id: 'u8-2', ret_code: 0 });
    expect(await storedVersion(6)).toEqual({ software_ver: null, software_ver_raw: '版本3' });
  });

  it('answers an unparseable body with one clear error, echoing req_id when it can be found', async () => {
    const truncated = heartbeat('broken-1').slice(0, 90);
    expect((await post('/location_report', {}, truncated)).body).toEqual({ req_id: 'broken-1', ret_code: 1001, ret_msg: 'body: malformed JSON' });
    expect((await post('/card_check', { 'content-type': 'text/plain' }, '{"req_id":"tap-9","card_id":C0DE0001}')).body).toEqual({
      req_id: 'tap-9', ret_code: 1001, ret_msg: 'body: malformed JSON', sound_no: 0,
    });
    expect((await post('/location_report', { 'content-type': 'application/json' }, '{"req_id": 42, oops')).body).toEqual({ req_id: '42', ret_code: 1001, ret_msg: 'body: malformed JSON' });
    expect((await post('/location_report', { 'content-type': 'application/json' }, '{"req_id":"a\\"b", oops')).body).toEqual({ req_id: 'a"b', ret_code: 1001, ret_msg: 'body: malformed JSON' });
    // Nothing to echo: no req_id key.
    const bare = await post('/location_report', {}, 'device_id=BUS-C1&time=now');
    expect(bare.text).toBe('{"ret_code":1001,"ret_msg":"body: malformed JSON"}');
    // Bytes that are not GBK under charset=GBK; an unknown charset.
    const notGbk = Buffer.concat([Buffer.from('{"req_id":"g-1","x":"'), Buffer.from([0x81, 0x20]), Buffer.from('"}')]);
    expect((await post('/location_report', { 'content-type': 'application/json; charset=GBK' }, notGbk)).body).toEqual({ req_id: 'g-1', ret_code: 1001, ret_msg: 'body: not valid gbk text' });
    expect((await post('/location_report', { 'content-type': 'application/json; charset=klingon' }, heartbeat('k-1'))).body).toEqual({
      req_id: 'k-1', ret_code: 1001, ret_msg: 'content-type: unsupported charset klingon',
    });
    // The depth limit still holds, measured on the decoded text.
    const deep = `{"req_id":"deep-1","x":${'['.repeat(40)}${']'.repeat(40)}}`;
    expect((await post('/location_report', { 'content-type': 'text/plain' }, deep)).body).toEqual({ req_id: 'deep-1', ret_code: 1001, ret_msg: 'body: nested too deeply (limit 32)' });
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM location_report WHERE device_id = 'BUS-C1'`);
    expect(n).toBe(7); // the seven heartbeats above, none of these
  });

  it('keeps operator calls strict: /admin takes JSON only as application/json', async () => {
    const body = JSON.stringify({ device_id: 'BUS-C2', enterprise_id: '398', line_id: 'L1' });
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    expect((await post('/admin/devices', auth, body)).body).toEqual({ ret_code: 1001, ret_msg: 'content-type: unsupported media type' });
    expect((await post('/admin/devices', { ...auth, 'content-type': 'text/plain' }, body)).body).toMatchObject({ ret_code: 1001 });
    expect(await app.db.query(`SELECT device_id FROM device WHERE device_id = 'BUS-C2'`)).toEqual([]);
    // A validator path with a type that is not JSON at all is still refused.
    expect((await post('/location_report', { 'content-type': 'application/xml' }, heartbeat('xml-1'))).body).toEqual({ ret_code: 1001, ret_msg: 'content-type: unsupported media type' });
  });
});
