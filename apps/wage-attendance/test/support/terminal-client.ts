import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { HttpResult, TestApp } from '@onecard/testing';
import { call } from './platform-client';

export interface SignOptions {
  nonce?: string;
  timestamp?: string;
  /** Replace the computed signature. */
  signature?: string;
  /** Sign with another secret. */
  secret?: string;
  /** Headers to drop. */
  omit?: string[];
  /** Sign this body but send `send` instead (tampering). */
  send?: string;
  contentType?: string;
}

interface Sent {
  method: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** An attendance terminal as DESIGN and the app's README describe it: signed calls under /terminal. */
export class TerminalClient {
  last?: Sent;

  constructor(
    private readonly app: Pick<TestApp, 'url'>,
    readonly deviceKey: string,
    readonly secret: string,
  ) {}

  /** Registers a device through the platform's /device/create and returns its terminal. */
  static async create(app: Pick<TestApp, 'url' | 'http'>, deviceKey: string, deviceName = '闸机'): Promise<TerminalClient> {
    const res = await call(app, '/device/create', { deviceKey, deviceName });
    if (!res.body?.success) throw new Error(`device/create failed: ${res.text}`);
    return new TerminalClient(app, deviceKey, res.body.result.secret);
  }

  headersFor(method: string, path: string, body: string, options: SignOptions = {}): Record<string, string> {
    const timestamp = options.timestamp ?? String(Date.now());
    const nonce = options.nonce ?? randomBytes(12).toString('hex');
    const hash = createHash('sha256').update(body).digest('hex');
    const signature = options.signature ?? createHmac('sha256', options.secret ?? this.secret).update(`${method}\n${path}\n${timestamp}\n${nonce}\n${hash}`).digest('hex');
    const headers: Record<string, string> = { 'x-device-key': this.deviceKey, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature };
    if (body) headers['content-type'] = options.contentType ?? 'application/json';
    for (const h of options.omit ?? []) delete headers[h];
    return headers;
  }

  async call<T = any>(method: 'GET' | 'POST', path: string, body?: unknown, options: SignOptions = {}): Promise<HttpResult<T>> {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    this.last = { method, path, body: options.send ?? text, headers: this.headersFor(method, path, text, options) };
    return send(this.app.url, this.last);
  }

  /** The last request again, byte for byte (same nonce: a replay). */
  replay<T = any>(): Promise<HttpResult<T>> {
    return send(this.app.url, this.last as Sent);
  }

  heartbeat(versionNo = '6.0011', options?: SignOptions) {
    return this.call('POST', '/terminal/heartbeat', { deviceKey: this.deviceKey, versionNo }, options);
  }
  sync(cursor?: string, options?: SignOptions) {
    return this.call('GET', `/terminal/sync${cursor === undefined ? '' : `?cursor=${cursor}`}`, undefined, options);
  }
  ack(personGuid: string, action: 'add' | 'delete', faceGuid?: string, options?: SignOptions) {
    return this.call('POST', '/terminal/ack', { deviceKey: this.deviceKey, personGuid, action, ...(faceGuid === undefined ? {} : { faceGuid }) }, options);
  }
  identify(record: Record<string, unknown>, options?: SignOptions) {
    return this.call('POST', '/terminal/identify', { deviceKey: this.deviceKey, ...record }, options);
  }
  async photo(path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
    const res = await fetch(`${this.app.url}${path}`, { headers: this.headersFor('GET', path, '') });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  }
}

async function send(base: string, req: Sent): Promise<HttpResult> {
  const res = await fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.method === 'GET' ? undefined : req.body });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

let records = 0;
/** A recognition guid as terminals make them: 32 hex digits, unique. */
export function recordGuid(): string {
  return `${randomBytes(12).toString('hex').toUpperCase()}${String(++records).padStart(8, '0')}`;
}
