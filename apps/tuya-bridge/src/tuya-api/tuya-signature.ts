import { createHash, createHmac } from 'node:crypto';

/**
 * Tuya's request signature (developer.tuya.com "Sign requests", the algorithm of projects made
 * after 2021-06-30):
 *
 *   stringToSign = METHOD + "\n" + SHA-256 hex of the body + "\n" + signed headers + "\n" + URL
 *   token calls:    sign = HMAC-SHA256(secret, client_id + t + nonce + stringToSign), upper-case hex
 *   business calls: sign = HMAC-SHA256(secret, client_id + access_token + t + nonce + stringToSign)
 *
 * URL is the path with its query parameters sorted by name and not percent-encoded. The body
 * hash is over the bytes actually sent (SHA-256 of nothing when there is no body). No custom
 * header is signed (`Signature-Headers` is not sent), so that line is empty.
 */
export interface TuyaSignatureInput {
  clientId: string;
  secret: string;
  /** Absent for the token calls (`/v1.0/token…`). */
  accessToken?: string;
  /** 13-digit epoch milliseconds, as a string. */
  t: string;
  /** A UUID per request; Tuya allows it empty. */
  nonce: string;
  method: string;
  /** Path and query as sent, e.g. `/v1.0/x?b=2&a=1`. */
  pathWithQuery: string;
  body?: Buffer | string;
}

/** The headers a signed request carries. */
export interface TuyaSignedHeaders {
  client_id: string;
  sign: string;
  t: string;
  nonce: string;
  sign_method: 'HMAC-SHA256';
  access_token?: string;
}

export const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');

export function contentSha256(body: Buffer | string | undefined): string {
  return body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : createHash('sha256').update(body).digest('hex');
}

/**
 * The path with its query sorted by parameter name (a stable sort: repeated names keep their
 * order) and decoded, as Tuya's gateway rebuilds it; no `?` when there is no query.
 */
export function canonicalUrl(pathWithQuery: string): string {
  const at = pathWithQuery.indexOf('?');
  if (at < 0) return pathWithQuery;
  const path = pathWithQuery.slice(0, at);
  const pairs = [...new URLSearchParams(pathWithQuery.slice(at + 1))];
  if (pairs.length === 0) return path;
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`;
}

export function stringToSign(method: string, pathWithQuery: string, body: Buffer | string | undefined): string {
  return [method.toUpperCase(), contentSha256(body), '', canonicalUrl(pathWithQuery)].join('\n');
}

export function tuyaSign(input: TuyaSignatureInput): string {
  const text = input.clientId + (input.accessToken ?? '') + input.t + input.nonce + stringToSign(input.method, input.pathWithQuery, input.body);
  return createHmac('sha256', input.secret).update(text, 'utf8').digest('hex').toUpperCase();
}

export function signTuyaRequest(input: TuyaSignatureInput): TuyaSignedHeaders {
  const headers: TuyaSignedHeaders = { client_id: input.clientId, sign: tuyaSign(input), t: input.t, nonce: input.nonce, sign_method: 'HMAC-SHA256' };
  if (input.accessToken !== undefined) headers.access_token = input.accessToken;
  return headers;
}
