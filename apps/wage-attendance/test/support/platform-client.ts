import type { HttpResult, TestApp } from '@onecard/testing';

export const PLATFORM_TOKEN = 'test-platform-token-0123456789';
export const CALLBACK_SECRET = 'test-callback-secret-0123456789';

/** The environment these tests give the app: tokens and keys of their own, quick callback retries. */
export function attendanceEnv(platformUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PLATFORM_TOKEN,
    CALLBACK_SECRET,
    TERMINAL_SECRET_KEY: 'ab'.repeat(32),
    SUPERVISION_CALLBACK_URL: platformUrl,
    CALLBACK_RETRY_BASE_MS: '50',
    CALLBACK_RETRY_MAX_MS: '400',
    CALLBACK_POLL_MS: '50',
    CALLBACK_TIMEOUT_MS: '2000',
    PHOTO_TIMEOUT_MS: '1000',
    PHOTO_MAX_BYTES: '65536',
    ...extra,
  };
}

/** A supervision-platform call: JSON by default, or a form body; the platform token unless told otherwise. */
export function call<T = any>(
  app: Pick<TestApp, 'http'>,
  path: string,
  body: Record<string, unknown> | string,
  options: { token?: string | null; form?: boolean } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? PLATFORM_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.form && typeof body === 'object') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return app.http('POST', path, new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString(), headers);
  }
  return app.http('POST', path, body, headers);
}

/** The document's envelope around a success. */
export function ok(message: string, result: unknown = {}) {
  return { success: true, message, code: 200, timestamp: expect.any(Number), result };
}

/** The document's envelope around a failure whose message matches. */
export function refused(message: string | RegExp, code = 500) {
  return { success: false, message: typeof message === 'string' ? message : expect.stringMatching(message), code, timestamp: expect.any(Number), result: {} };
}

/** Every row the app keeps, for "nothing changed" assertions. */
export async function snapshot(app: Pick<TestApp, 'db'>): Promise<string> {
  // Callbacks by what was queued (their delivery state moves on in the background).
  const tables: Record<string, string> = {
    device: 'x::text', person: 'x::text', person_photo: 'x::text', authorisation: 'x::text', card_block: 'x::text', recognition: 'x::text',
    outbox: 'ROW(x.id, x.subject)::text', callback: 'ROW(x.id, x.device_key, x.kind, x.form::text)::text',
  };
  const parts: string[] = [];
  for (const [t, columns] of Object.entries(tables)) {
    const [row] = await app.db.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(${columns}, '|' ORDER BY ${columns}), '')) AS h FROM ${t} x`);
    parts.push(`${t}:${row.n}:${row.h}`);
  }
  return parts.join(' ');
}

let devices = 0;
/** A fresh device key per call, unique across test files running at once. */
export function newDeviceKey(prefix = 'T'): string {
  return `${prefix}${process.pid}-${++devices}`;
}
