import { createHash } from 'node:crypto';
import { OutboundHttp } from '@onecard/platform';
import { startTestApp, TestApp } from '../../src';
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
