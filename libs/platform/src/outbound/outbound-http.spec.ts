import { Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsRegistry, OneCardAppDefinition } from '@onecard/kernel';
import { OutboundHttp } from './outbound-http';
import { OutboundHttpError } from './outbound-types';
import { retryAfterMs } from './retry-after';

interface Seen {
  at: number;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Behaviour = (response: ServerResponse, request: IncomingMessage) => void;

/** A real HTTP server answering each request with the next behaviour queued (the last one repeats). */
class ScriptedServer {
  readonly seen: Seen[] = [];
  private script: Behaviour[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.seen.push({ at: Date.now(), method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString() });
        const behaviour = this.script.length > 1 ? this.script.shift()! : this.script[0];
        behaviour(response, request);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(...script: Behaviour[]): void {
    this.script = script;
    this.seen.length = 0;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const status = (code: number, body = '', headers: Record<string, string> = {}): Behaviour => (response) => {
  response.writeHead(code, { 'content-type': 'application/json', ...headers });
  response.end(body);
};
const silence: Behaviour = () => undefined; // never answers: the client must time out
const hangUp: Behaviour = (_response, request) => request.socket.destroy();

describe('OutboundHttp', () => {
  const server = new ScriptedServer();
  let metrics: MetricsRegistry;
  let outbound: OutboundHttp;
  let warnings: string[];

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    metrics = new MetricsRegistry({ name: 'tuya-bridge' } as OneCardAppDefinition);
    outbound = new OutboundHttp(metrics);
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await outbound.onApplicationShutdown();
  });

  const attempts = async () => {
    const values = (await metrics.registry.getSingleMetric('onecard_outbound_requests_total')!.get()).values;
    return Object.fromEntries(values.map((v) => [v.labels.outcome, v.value]));
  };
  const durations = async () => {
    const values = (await metrics.registry.getSingleMetric('onecard_outbound_request_duration_seconds')!.get()).values;
    return (values as Array<{ metricName?: string; value: number }>).find((v) => v.metricName === 'onecard_outbound_request_duration_seconds_count')?.value;
  };
  const client = (options: Partial<Parameters<OutboundHttp['client']>[1]> = {}) =>
    outbound.client('probe', { baseUrl: server.url, timeoutMs: 1000, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 2000 }, ...options });

  it('retries a 503 and returns the answer that follows, counting each attempt', async () => {
    server.answer(status(503), status(503), status(200, '{"ok":true}'));
    const response = await client().request({ method: 'GET', path: '/things', query: { page: 2, tag: ['a', 'b'], none: undefined } });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(server.seen.map((s) => s.url)).toEqual(['/things?page=2&tag=a&tag=b', '/things?page=2&tag=a&tag=b', '/things?page=2&tag=a&tag=b']);
    expect(await attempts()).toEqual({ server_error: 2, ok: 1 });
    expect(await durations()).toBe(3);
    expect(warnings).toEqual(['probe: GET /things: HTTP 503 on attempt 1 of 3, retrying', 'probe: GET /things: HTTP 503 on attempt 2 of 3, retrying']);
  });

  it('returns the last answer once the attempts are spent', async () => {
    server.answer(status(502, '{"e":1}'));
    const response = await client().request({ method: 'GET', path: '/x' });
    expect(response.status).toBe(502);
    expect(server.seen).toHaveLength(3);
    expect(await attempts()).toEqual({ server_error: 3 });
  });

  it('does not retry a 400 (or any other 4xx but 429)', async () => {
    server.answer(status(400, '{"error":"bad"}'), status(200));
    const response = await client().request({ method: 'POST', path: '/x', json: { a: 1 } });
    expect(response.status).toBe(400);
    expect(response.text).toBe('{"error":"bad"}');
    expect(server.seen).toHaveLength(1);
    expect(await attempts()).toEqual({ client_error: 1 });
  });

  it('times an attempt out, retries it, and gives up with an OutboundHttpError', async () => {
    server.answer(silence);
    const started = Date.now();
    const error = await client({ timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 5 } })
      .request({ method: 'GET', path: '/slow', query: { token: 'secret-in-query' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundHttpError);
    expect(error).toMatchObject({ reason: 'timeout', attempts: 2, client: 'probe', message: 'probe: GET /slow: timed out after 150 ms (2 attempts)' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.seen).toHaveLength(2);
    expect(await attempts()).toEqual({ timeout: 2 });
    expect(warnings.join('\n')).not.toContain('secret-in-query');
  });

  it('retries a connection dropped without an answer', async () => {
    server.answer(hangUp, status(200, '{}'));
    const response = await client().request({ method: 'GET', path: '/flaky' });
    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(2);
    expect(await attempts()).toEqual({ network_error: 1, ok: 1 });
  });

  it('gives up on a refused connection after the attempts', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await outbound
      .client('gone', { baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 2, baseDelayMs: 5 } })
      .request({ method: 'GET', path: '/' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'OutboundHttpError', reason: 'network', attempts: 2 });
  });

  it('waits as long as a 429 Retry-After asks before retrying', async () => {
    server.answer(status(429, '', { 'retry-after': '1' }), status(200, '{}'));
    const response = await client().request({ method: 'GET', path: '/limited' });
    expect(response.status).toBe(200);
    expect(server.seen[1].at - server.seen[0].at).toBeGreaterThanOrEqual(950);
    expect(await attempts()).toEqual({ throttled: 1, ok: 1 });
  });

  it('returns a 429 at once when Retry-After asks for longer than maxDelayMs', async () => {
    server.answer(status(429, '', { 'retry-after': '120' }), status(200, '{}'));
    const response = await client().request({ method: 'GET', path: '/limited' });
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('120');
    expect(server.seen).toHaveLength(1);
  });

  it('signs every attempt afresh, over the bytes sent; secrets stay out of the logs', async () => {
    server.answer(status(503), status(200, '{}'));
    let nonce = 0;
    const signer = client({
      sign: async (request) => {
        const fresh = { 'x-nonce': `n${++nonce}`, 'x-t': String(Date.now()) };
        const mac = createHmac('sha256', 'shared-secret').update(`${request.method}\n${request.pathWithQuery}\n${fresh['x-nonce']}\n${request.body?.toString() ?? ''}`).digest('hex');
        return { ...fresh, 'x-sign': mac, authorization: 'Bearer very-secret-token' };
      },
    });
    const response = await signer.request({ method: 'POST', path: '/cards', query: { a: 1 }, form: { cardNo: '123', name: '张三' } });
    expect(response.status).toBe(200);
    expect(server.seen.map((s) => s.headers['x-nonce'])).toEqual(['n1', 'n2']);
    for (const seen of server.seen) {
      expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(seen.body).toBe('cardNo=123&name=%E5%BC%A0%E4%B8%89');
      const expected = createHmac('sha256', 'shared-secret').update(`POST\n/cards?a=1\n${seen.headers['x-nonce']}\n${seen.body}`).digest('hex');
      expect(seen.headers['x-sign']).toBe(expected);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings.join('\n')).not.toMatch(/very-secret-token|cardNo|张三|shared-secret/);
  });

  it('retries a 2xx the caller refuses (an API reporting failure inside its answer)', async () => {
    server.answer(status(200, '{"success":false,"code":500}'), status(200, '{"success":true}'));
    const response = await client({ retryOn: (r) => r.json<{ success: boolean }>().success === false }).request({ method: 'GET', path: '/v1/x' });
    expect(response.json()).toEqual({ success: true });
    expect(await attempts()).toEqual({ refused_by_caller: 1, ok: 1 });
  });

  it('sends JSON, keeps the base URL path, and refuses to quote a non-JSON answer', async () => {
    server.answer(status(200, '<html>secret page</html>'));
    const response = await outbound.client('prefixed', { baseUrl: `${server.url}/api/` }).request({ method: 'PUT', path: '/items/1', json: { name: 'n' } });
    expect(server.seen[0]).toMatchObject({ method: 'PUT', url: '/api/items/1', body: '{"name":"n"}', headers: expect.objectContaining({ 'content-type': 'application/json' }) });
    let error: unknown;
    try {
      response.json();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ reason: 'invalid_json', message: 'prefixed: PUT /api/items/1: the answer is not JSON (24 characters)' });
  });

  it('fetches an absolute URL it is handed, answering the body bytes as received', async () => {
    const png = Buffer.from('89504e470d0a1a0aff00fe01', 'hex');
    server.answer((response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(png);
    });
    const photos = outbound.client('photos', { baseUrl: 'http://unused.invalid', timeoutMs: 1000, retry: { maxAttempts: 1 } });
    const response = await photos.request({ method: 'GET', path: '', url: `${server.url}/faces/1.png?size=big` });
    expect(response.bytes.equals(png)).toBe(true);
    expect(server.seen.map((s) => s.url)).toEqual(['/faces/1.png?size=big']);
    await expect(photos.request({ method: 'GET', path: '', url: 'ftp://x.example/a.png' })).rejects.toThrow('photos: only http and https URLs');
    await expect(photos.request({ method: 'GET', path: '', url: '/relative.png' })).rejects.toThrow('photos: not an absolute URL');
  });

  it('makes one client per name', () => {
    client();
    expect(() => client()).toThrow('outbound client "probe" already exists');
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    ['Tue, 01 Dec 2026 00:00:05 GMT', 5000],
    ['Mon, 30 Nov 2026 23:00:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
    [undefined, undefined],
  ])('reads %p', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
