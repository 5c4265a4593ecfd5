import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-api';
import { FakeTokens } from './fake-tokens';
import { Faults } from './faults';
import { PersonnelApi } from './personnel-api';
import { PersonnelStore } from './personnel-store';
import { checkSignature } from './signature-check';

export interface FakeTuyaOptions {
  clientId: string;
  secret: string;
  /** Access token lifetime, seconds (Tuya's: 7200). */
  tokenTtlS?: number;
  /** Largest page the list call answers, whatever pageSize asks. */
  maxPageSize?: number;
  /** How far `t` may be from the fake's clock. */
  maxSkewMs?: number;
}

/** One line of the fake's request log (GET /control/requests). */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** `ok`, `refused <code> <msg>`, or the fault it met. */
  outcome: string;
}

const LOG_SIZE = 2000;
const NONCE_TTL_MS = 10 * 60_000;

/**
 * A stand-in for Tuya Cloud's OpenAPI, enough for the personnel-card document: checks every
 * signature byte for byte, issues, refreshes and expires tokens, pages results, and fails on
 * command (faults.ts). Answers as Tuya does: HTTP 200 with `{success, t, tid, result}` or
 * `{success: false, code, msg, t, tid}`. `/control/…` (unsigned, for tests and `npm run sim:tuya`)
 * changes its data and its behaviour.
 */
export class FakeTuyaCloud {
  readonly store = new PersonnelStore();
  readonly tokens: FakeTokens;
  readonly faults = new Faults();
  readonly log: LoggedRequest[] = [];
  private readonly api: PersonnelApi;
  private readonly nonces = new Map<string, number>();
  private server: Server | undefined;
  private seq = 0;
  url = '';

  constructor(readonly options: FakeTuyaOptions) {
    this.tokens = new FakeTokens(options.tokenTtlS ?? 7200);
    this.api = new PersonnelApi(this.store, options.secret, options.maxPageSize ?? 100);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://tuya.invalid');
    const method = req.method ?? 'GET';
    try {
      if (url.pathname.startsWith('/control/')) return handleControl(this, method, url, body, res);
      await this.onApiRequest(method, rawUrl, url, req, body, res);
    } catch (error) {
      if (!res.headersSent) this.answer(res, 200, { success: false, code: 500, msg: `fake: ${(error as Error).message}` });
    }
  }

  private async onApiRequest(method: string, rawUrl: string, url: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const path = url.pathname;
    const note = (outcome: string) => this.note(method, path, outcome);
    const fault = this.faults.take(path);
    if (fault) {
      note(`fault ${fault.kind}`);
      if (fault.kind === 'reset') return void req.socket.destroy();
      if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 30_000));
      else if (fault.kind === 'http-503' || fault.kind === 'http-500') return this.plain(res, fault.kind === 'http-503' ? 503 : 500);
      else if (fault.kind === 'http-429') return this.plain(res, 429, { 'retry-after': String(fault.retryAfterS ?? 0) });
      else if (fault.kind === 'rate-limit') return this.refuse(res, 1199, 'your requests are too frequent');
      else if (fault.kind === 'system-error') return this.refuse(res, 500, 'system error, please contact the admin');
    }

    const now = Date.now();
    const tokenCall = path === '/v1.0/token' || path.startsWith('/v1.0/token/');
    const problem = checkSignature(method, rawUrl, req.headers, body, tokenCall, {
      clientId: this.options.clientId,
      secret: this.options.secret,
      maxSkewMs: this.options.maxSkewMs ?? 5 * 60_000,
      now,
      nonceSeen: (nonce) => this.nonceSeen(nonce, now),
    });
    if (problem) {
      note(`refused ${problem.code} ${problem.msg}`);
      return this.refuse(res, problem.code, problem.msg);
    }

    if (tokenCall) {
      const token = path === '/v1.0/token' ? (url.searchParams.get('grant_type') === '1' ? this.tokens.issue(now) : undefined) : this.tokens.refresh(path.slice('/v1.0/token/'.length), now);
      if (!token) {
        const [code, msg] = path === '/v1.0/token' ? [1003, 'grant type invalid'] : [1011, 'token invalid'];
        note(`refused ${code} ${msg}`);
        return this.refuse(res, code, msg);
      }
      note('ok');
      return this.answer(res, 200, { success: true, t: Date.now(), tid: tid(), result: token });
    }

    const tokenProblem = this.tokens.check(req.headers.access_token as string | undefined, now);
    if (tokenProblem) {
      note(`refused ${tokenProblem.code} ${tokenProblem.msg}`);
      return this.refuse(res, tokenProblem.code, tokenProblem.msg);
    }
    let json: Record<string, unknown> = {};
    if (body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        note('refused 1109 body is not JSON');
        return this.refuse(res, 1109, 'param is illegal: body is not JSON');
      }
    }
    const outcome = this.api.handle(method, path, Object.fromEntries(url.searchParams), json);
    if (!outcome) {
      note('refused 1108 uri path invalid');
      return this.refuse(res, 1108, 'uri path invalid');
    }
    if ('code' in outcome) {
      note(`refused ${outcome.code} ${outcome.msg}`);
      return this.refuse(res, outcome.code, outcome.msg);
    }
    note('ok');
    this.answer(res, 200, { success: true, t: Date.now(), tid: tid(), result: outcome.result });
  }

  private nonceSeen(nonce: string, now: number): boolean {
    if (this.nonces.size > 10_000) for (const [n, at] of this.nonces) if (now - at > NONCE_TTL_MS) this.nonces.delete(n);
    const seen = this.nonces.has(nonce);
    this.nonces.set(nonce, now);
    return seen;
  }

  private note(method: string, path: string, outcome: string): void {
    this.log.push({ seq: ++this.seq, at: new Date().toISOString(), method, path, outcome });
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
  }

  private refuse(res: ServerResponse, code: number, msg: string): void {
    this.answer(res, 200, { success: false, code, msg, t: Date.now(), tid: tid() });
  }

  answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
  }

  private plain(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(status === 429 ? 'Too Many Requests' : 'Service Unavailable');
  }
}

function tid(): string {
  return randomBytes(16).toString('hex');
}
