import { createHash } from 'node:crypto';
import { OutboundHttp } from '@onecard/platform';
import { rawHttp, startTestApp, TestApp } from '../../src';
import { httpProbeApp, PROBE_BASE_PATH } from './probe/http-probe.app';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const CLIENT = { authorization: 'Basic cHJvYmU6c2VjcmV0' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('platform: HTTP hooks', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(httpProbeApp);
  });
  afterAll(() => app.close());

  describe('form bodies', () => {
    it('parses a form body into the same DTO as JSON, numbers and booleans from their string forms', async () => {
      const form = await app.http('POST', '/forms/orders', 'name=caf%C3%A9+noir&count=3&urgent=true&tags=a&tags=b', FORM);
      expect(form.status).toBe(200);
      expect(form.body).toEqual({ ok: true, data: { name: 'café noir', count: 3, urgent: true, tags: ['a', 'b'] } });
      const json = await app.http('POST', '/forms/orders', { name: 'café noir', count: 3, urgent: true, tags: ['a', 'b'] });
      expect(json.body).toEqual(form.body);
    });

    it.each([
      ['count=3', 'name'],
      ['name=a&count=three', 'count'],
      ['name=a&count=1.5', 'count'],
      ['name=a&count=', 'count'],
      ['name=a&count=1&urgent=yes', 'urgent'],
      ['name=a&name=b&count=1', 'name'],
    ])('refuses %s in the envelope, naming the field', async (body, field) => {
      const res = await app.http('POST', '/forms/orders', body, FORM);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: expect.stringMatching(new RegExp(`^${field} must `)) });
    });

    it('refuses a NUL in a form field and a form body over the limit, in the envelope', async () => {
      const nul = await app.http('POST', '/forms/orders', 'name=a%00b&count=1', FORM);
      expect(nul.body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: 'name: must not contain the NUL character (\\u0000)' });
      const big = await app.http('POST', '/forms/orders', `name=a&count=1&pad=${'x'.repeat(1100 * 1024)}`, FORM);
      expect(big.status).toBe(422);
      expect(big.body.message).toBe('body: request body too large');
    });
  });

  describe('@KeepRawBody', () => {
    it.each([
      ['JSON', '{ "a": 1,  "b": "x" }', 'application/json', { a: 1, b: 'x' }],
      ['a form', 'b=x&a=1', 'application/x-www-form-urlencoded', { a: '1', b: 'x' }],
      ['text', 'plain words\n', 'text/plain; charset=utf-8', 'plain words\n'],
      ['an app content type', 'a,b\n1,2', 'text/csv', 'a,b\n1,2'],
    ])('keeps %s body byte for byte, still parsed', async (_label, body, contentType, parsed) => {
      const res = await app.http('POST', '/forms/signed', body, { 'content-type': contentType });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, data: { bytes: Buffer.byteLength(body), sha256: sha256(body), parsed } });
    });

    it('keeps a large body sent in many chunks, and nothing for a request without one', async () => {
      const body = JSON.stringify({ pad: 'é'.repeat(200_000) });
      const res = await app.http('POST', '/forms/signed', body);
      expect(res.body.data).toMatchObject({ bytes: Buffer.byteLength(body), sha256: sha256(body) });
      expect((await app.http('GET', '/forms/signed')).body).toEqual({ ok: true, data: { bytes: 0 } });
    });

    it('leaves body errors as they were: malformed JSON, too large', async () => {
      const broken = await app.http('POST', '/forms/signed', '{"a":', { 'content-type': 'application/json' });
      expect(broken.body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: 'body: malformed JSON' });
      const big = await app.http('POST', '/forms/signed', JSON.stringify({ pad: 'x'.repeat(1100 * 1024) }));
      expect(big.body.message).toBe('body: request body too large');
    });

    it('is an internal error, not an empty body, on a route not marked', async () => {
      const res = await app.http('POST', '/forms/unsigned', { a: 1 });
      expect(res.body).toEqual({ ok: false, kind: 'INTERNAL', code: 'INTERNAL', message: 'internal error' });
    });
  });

  describe('@LenientJson', () => {
    /** Exactly these bytes, with exactly these headers (fetch would add a content type). */
    const post = (path: string, headers: Record<string, string>, body: Buffer) => {
      const head = [`POST ${path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${body.length}`];
      return rawHttp(app.url, Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
    };
    // {"名":"中文"} in GBK.
    const gbk = Buffer.concat([Buffer.from('{"'), Buffer.from([0xc3, 0xfb]), Buffer.from('":"'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('"}')]);

    it.each([
      ['no content type', {}, Buffer.from('{"a":1}'), { a: 1 }, 'application/json'],
      ['an empty content type', { 'content-type': '' }, Buffer.from('{"a":2}'), { a: 2 }, 'application/json'],
      ['text/plain', { 'content-type': 'text/plain' }, Buffer.from('{"a":"é"}'), { a: 'é' }, 'application/json'],
      ['text/plain with a charset', { 'content-type': 'Text/Plain; charset=GB18030' }, gbk, { 名: '中文' }, 'application/json; charset=GB18030'],
      ['application/json; charset=GBK', { 'content-type': 'application/json; charset=GBK' }, gbk, { 名: '中文' }, 'application/json; charset=GBK'],
      ['application/json; charset=utf-8', { 'content-type': 'application/json; charset=utf-8' }, Buffer.from('{"名":"中文"}'), { 名: '中文' }, 'application/json; charset=utf-8'],
    ])('reads a body with %s as JSON, the raw body as sent', async (_label, headers, body, parsed, contentType) => {
      const res = await post('/forms/lenient', headers, body);
      expect(res.body).toEqual({ ok: true, data: { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), parsed, contentType } });
    });

    it('refuses what it cannot read, keeping the text for the envelope', async () => {
      expect((await post('/forms/lenient', {}, Buffer.from('{"id":"r-1",'))).body).toEqual({ ok: false, message: 'body: malformed JSON', unparsed: '{"id":"r-1",' });
      expect((await post('/forms/lenient', { 'content-type': 'application/json; charset=gbk' }, Buffer.from([0x7b, 0x81, 0x20, 0x7d]))).body).toEqual({
        ok: false,
        message: 'body: not valid gbk text',
        unparsed: '{\u0081 }', // as latin1: enough to find an ASCII request id
      });
      expect((await post('/forms/lenient', { 'content-type': 'application/json; charset=x-none' }, Buffer.from('{}'))).body).toMatchObject({ message: 'content-type: unsupported charset x-none' });
      const deep = `${'['.repeat(33)}${']'.repeat(33)}`;
      expect((await post('/forms/lenient', { 'content-type': 'text/plain' }, Buffer.from(deep))).body).toEqual({ ok: false, message: 'body: nested too deeply (limit 32)', unparsed: deep });
      expect((await post('/forms/lenient', { 'content-type': 'application/xml' }, Buffer.from('{}'))).body).toMatchObject({ message: 'content-type: unsupported media type', unparsed: null });
      // An empty body without a type is no body, as on any route.
      expect((await post('/forms/lenient', {}, Buffer.alloc(0))).body).toEqual({ ok: true, data: { bytes: 0, sha256: sha256(''), parsed: null, contentType: null } });
    });

    it('leaves routes not marked strict: text/plain is text, no type is refused, a charset is not decoded', async () => {
      expect((await post('/forms/signed', { 'content-type': 'text/plain' }, Buffer.from('{"a":1}'))).body.data.parsed).toBe('{"a":1}');
      expect((await post('/forms/signed', {}, Buffer.from('{"a":1}'))).body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: 'content-type: unsupported media type' });
      expect((await post('/forms/signed', { 'content-type': 'application/json; charset=GBK' }, gbk)).body.data.parsed).not.toEqual({ 名: '中文' });
    });
  });

  describe('@AnswerWith', () => {
    const token = (body: unknown, headers: Record<string, string> = CLIENT) => app.http('POST', '/oauth/token', body, headers);

    it('answers a controller in its envelope on success', async () => {
      const res = await app.http('POST', '/oauth/token', 'grant_type=client_credentials&scope=read', { ...CLIENT, ...FORM });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: 'probe-token', token_type: 'Bearer', scope: 'read', signed_bytes: 40 });
    });

    it('answers every failure of that controller in its envelope', async () => {
      // The guard's AppError, the validation pipe, a body error, thrown AppError, Nest's exceptions, a bug.
      expect(await token({ grant_type: 'client_credentials' }, {})).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: 'authorization: unknown client' } });
      expect(await token({ grant_type: 'password' })).toMatchObject({
        status: 400,
        body: { error: 'invalid_request', error_description: 'grant_type must be one of the following values: client_credentials' },
      });
      expect(await token('{"grant_type":', { ...CLIENT, 'content-type': 'application/json' })).toMatchObject({
        status: 400,
        body: { error: 'invalid_request', error_description: 'body: malformed JSON' },
      });
      const client = (id: string) => app.http('GET', `/oauth/clients/${id}`);
      expect((await client('c1')).body).toEqual({ error: 'server_error', error_description: 'id: no client c1' });
      expect((await client('nest-404')).body).toEqual({ error: 'server_error', error_description: 'no such path' });
      expect(await client('nest-400')).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'id: not like that' } });
      expect((await client('crash')).body).toEqual({ error: 'server_error', error_description: 'internal error' });
    });

    it('lets a handler opt out and one handler of another controller opt in', async () => {
      expect((await app.http('GET', '/oauth/raw')).body).toEqual({ raw: true });
      expect((await app.http('POST', '/forms/oauth-style', { grant_type: 'client_credentials' })).body).toEqual({ access_token: 'probe-token', token_type: 'Bearer', scope: 'all' });
      expect((await app.http('POST', '/forms/oauth-style', {})).body).toEqual({
        error: 'invalid_request',
        error_description: 'grant_type must be one of the following values: client_credentials',
      });
      // Its neighbours keep the app's envelope; so does a path no route matches.
      expect((await app.http('POST', '/forms/orders', {})).body.ok).toBe(false);
      expect((await app.http('GET', '/oauth/nowhere')).body).toEqual({ ok: false, kind: 'NOT_FOUND', code: 'NOT_FOUND', message: 'no such path' });
    });
  });

  describe('the app-level hook', () => {
    it('applies the app’s Fastify options and its configure hook before the routes', async () => {
      expect((await app.http('GET', '/forms/request-id', undefined, { 'x-probe-request': 'probe-42' })).body).toEqual({ ok: true, data: { id: 'probe-42' } });
      expect((await app.http('GET', `${PROBE_BASE_PATH}/forms/moved`)).body).toEqual({ ok: true, data: { moved: true } });
      expect((await app.http('GET', '/forms/moved')).status).toBe(422);
      expect((await app.http('POST', '/forms/csv', 'a\nb\nc', { 'content-type': 'text/csv' })).body).toEqual({ ok: true, data: { lines: 3 } });
    });
  });

  describe('OutboundHttp', () => {
    it('is provided to every app, its attempts counted on /metrics', async () => {
      const self = app.get(OutboundHttp).client('self', { baseUrl: app.url });
      const answer = await self.request({ method: 'GET', path: '/forms/request-id', headers: { 'x-probe-request': 'out-1' } });
      expect(answer.json()).toEqual({ ok: true, data: { id: 'out-1' } });
      const metrics = (await app.http('GET', '/metrics')).text;
      expect(metrics).toMatch(/^onecard_outbound_requests_total\{client="self",outcome="ok",app="card-issuance"\} 1$/m);
      expect(metrics).toMatch(/^onecard_outbound_request_duration_seconds_count\{app="card-issuance",client="self"\} 1$/m);
    });
  });
});
