import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { HttpResult, TestApp } from '@onecard/testing';

/** The payment system's key in tests (the app reads PAYMENT_SECRET as in production). */
export const PAYMENT_SECRET = 'test-payment-secret-0123456789abcdef';

export function campusEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PAYMENT_SECRET, PHOTO_LINK_KEY: 'test-photo-link-key-0123456789abcdef', ...extra };
}

export const ALL_SCOPES = ['card_info', 'manage_card', 'card_transactions', 'write_card_info', 'privacy'];

let serial = 0;
const unique = (prefix: string) => `${prefix}${process.pid % 1000}x${++serial}${randomBytes(2).toString('hex')}`;

/** `application/x-www-form-urlencoded` text, as the document's calls are sent. */
export function form(fields: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.append(k, String(v));
  return params.toString();
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export interface TestUser {
  userCode: string;
  name: string;
  password: string;
  queryPassword: string;
}

export async function createUser(app: TestApp, overrides: Partial<TestUser & { organize: string; userType: string }> = {}): Promise<TestUser> {
  const user = { userCode: unique('U'), name: '张三', organize: '网络信息中心', userType: 'faculty', password: 'login-pass-1', queryPassword: '123456', ...overrides };
  const res = await app.admin('POST', '/admin/users', user);
  expect(res.body).toMatchObject({ errno: 0, entities: [{ userCode: user.userCode }] });
  return user;
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export async function createClient(
  app: TestApp,
  options: { scopes?: string[]; grants?: string[]; allowTransfer?: boolean } = {},
): Promise<TestClient> {
  const client = { clientId: unique('app-'), clientSecret: randomBytes(24).toString('hex'), redirectUri: 'https://app.example.edu.cn/callback' };
  const res = await app.admin('POST', '/admin/clients', {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUris: [client.redirectUri],
    scopes: options.scopes ?? ALL_SCOPES,
    grants: options.grants ?? ['authorization_code', 'client_credentials', 'refresh_token'],
    allowTransfer: options.allowTransfer ?? false,
  });
  expect(res.body).toMatchObject({ errno: 0, entities: [{ clientId: client.clientId }] });
  return client;
}

/** A form POST whose redirect is answered to the test, not followed (the client's redirect_uri is not a real host). */
export async function postFormNoRedirect(app: TestApp, path: string, body: string): Promise<HttpResult> {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', body, headers: FORM, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** A GET carrying a form body, as the document's examples of 获取校园卡照片 and 查询充值请求 send it (fetch refuses to). */
export function getWithFormBody(app: TestApp, path: string, body: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${app.url}${path}`, { method: 'GET', headers: { ...FORM, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), text, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /oauth/authorize as the login form does. */
export function authorize(app: TestApp, client: TestClient, user: Pick<TestUser, 'userCode' | 'password'>, extra: Record<string, string> = {}): Promise<HttpResult> {
  return postFormNoRedirect(
    app,
    '/oauth/authorize',
    form({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, state: 'xyz', username: user.userCode, password: user.password, ...extra }),
  );
}

/** The code from an authorize answer's redirect (throws when there is none). */
export function codeFrom(res: HttpResult): string {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') as string);
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

export function tokenRequest(app: TestApp, fields: Record<string, string>): Promise<HttpResult> {
  return app.http('POST', '/oauth/token', form(fields), FORM);
}

export function exchangeCode(app: TestApp, client: TestClient, code: string): Promise<HttpResult> {
  return tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: client.clientSecret });
}

/** A cardholder's access token through the real authorization code flow. */
export async function userToken(app: TestApp, client: TestClient, user: TestUser, scopes: string[] = ALL_SCOPES): Promise<string> {
  const code = codeFrom(await authorize(app, client, user, { scope: scopes.join(' ') }));
  const res = await exchangeCode(app, client, code);
  expect(res.status).toBe(200);
  return res.body.access_token;
}

/** The client's own token (client credentials grant). */
export async function clientToken(app: TestApp, client: TestClient, scopes: string[] = ALL_SCOPES): Promise<string> {
  const res = await tokenRequest(app, { grant_type: 'client_credentials', scope: scopes.join(' '), client_id: client.clientId, client_secret: client.clientSecret });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

/** A documented call as the document shows it: token in the query; GET parameters in the query, others a form body. */
export function call(app: TestApp, method: string, path: string, token: string | undefined, params: Record<string, string | number | boolean | undefined> = {}): Promise<HttpResult> {
  const query = token === undefined ? '' : `access_token=${encodeURIComponent(token)}`;
  if (method === 'GET' || method === 'PUT') {
    const q = [query, form(params)].filter(Boolean).join('&');
    return app.http(method, `${path}${q ? `?${q}` : ''}`);
  }
  return app.http(method, `${path}${query ? `?${query}` : ''}`, form(params), FORM);
}

/** The card API's failure body: errno, error (matching), total 0, nothing else. */
const TRANSPORT_ERRNO = new Set([400, 401, 403, 404, 413, 429, 500, 503]);

export function failure(res: HttpResult, errno: number, error: RegExp | string, http = TRANSPORT_ERRNO.has(errno) ? errno : 200): void {
  expect({ status: res.status, body: res.body }).toEqual({ status: http, body: { errno, error: typeof error === 'string' ? error : expect.stringMatching(error), total: 0 } });
}

export const SUCCESS = { errno: 0, error: 'success', total: 0 };

/** Opens the user's card (PUT /v1/me/card) with a manage_card token; returns its cardNo. */
export async function openCard(app: TestApp, managerToken: string, userCode: string, extra: Record<string, string | number | boolean> = {}): Promise<string> {
  const res = await call(app, 'PUT', '/v1/me/card', managerToken, { userCode, cardType: '800', expireDate: '20301231', openAmount: 0, ...extra });
  expect(res.body).toMatchObject({ errno: 0, entities: [{ cardNo: expect.any(String) }] });
  return res.body.entities[0].cardNo;
}

/** A payment notification signed as the payment system signs it. */
export function paymentNotice(fields: { id: string | number; amount: string; payTime: string; status: string }, secret = PAYMENT_SECRET): Record<string, string> {
  const n = { id: String(fields.id), amount: fields.amount, payTime: fields.payTime, status: fields.status };
  return { ...n, sign: createHmac('sha256', secret).update(`${n.id}|${n.amount}|${n.payTime}|${n.status}`).digest('hex') };
}

export function notify(app: TestApp, notice: Record<string, string>): Promise<HttpResult> {
  return app.http('POST', '/v1/payment/notify', form(notice), FORM);
}

/** Now as `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai (the wire zone). */
export function wireNow(offsetMs = 0): string {
  const d = new Date(Date.now() + offsetMs + 8 * 3600_000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** A card's balance and the sum of its ledger, in fen. */
export async function balanceAndLedger(app: TestApp, cardNo: string): Promise<{ balance: number; ledger: number; entries: number }> {
  const [row] = await app.db.query(
    `SELECT a.balance_fen::bigint AS balance, coalesce(sum(e.amount_fen), 0)::bigint AS ledger, count(e.id)::int AS entries
       FROM card_account a LEFT JOIN ledger_entry e USING (card_no) WHERE a.card_no = $1 GROUP BY a.balance_fen`,
    [cardNo],
  );
  return { balance: Number(row.balance), ledger: Number(row.ledger), entries: row.entries };
}
