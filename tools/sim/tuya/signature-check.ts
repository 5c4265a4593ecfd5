import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The fake's own reading of Tuya's signature rule, written apart from the bridge's signer so
 * that one cannot vouch for the other (the connector spec in tools/sim shows that Tuya's
 * official client passes it):
 *   HMAC-SHA256(secret, client_id [+ access_token] + t + nonce + METHOD\n sha256(body)\n \n url)
 * upper-case hex, url = path + query sorted by name, decoded.
 */
export type SignatureProblem = { code: number; msg: string };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sortedUrl(rawUrl: string): string {
  const url = new URL(rawUrl, 'http://tuya.invalid');
  const entries: Array<[string, string]> = [];
  url.searchParams.forEach((value, name) => entries.push([name, value]));
  if (entries.length === 0) return url.pathname;
  // Code-unit order, as Java's TreeMap orders Tuya's parameters; stable for repeated names.
  const ordered = entries.map((entry, i) => ({ entry, i })).sort((a, b) => (a.entry[0] === b.entry[0] ? a.i - b.i : a.entry[0] < b.entry[0] ? -1 : 1));
  return `${url.pathname}?${ordered.map(({ entry }) => entry.join('=')).join('&')}`;
}

export interface SignatureCheck {
  clientId: string;
  secret: string;
  maxSkewMs: number;
  now: number;
  /** Whether this nonce was seen recently (replay); records it otherwise. */
  nonceSeen(nonce: string): boolean;
}

/** Undefined when the request is signed as Tuya requires; else Tuya's code and message. */
export function checkSignature(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: Buffer, tokenCall: boolean, check: SignatureCheck): SignatureProblem | undefined {
  const clientId = header(headers, 'client_id');
  const sign = header(headers, 'sign');
  const t = header(headers, 't');
  const nonce = header(headers, 'nonce') ?? '';
  if (!clientId || !sign || !t) return { code: 1105, msg: 'missing the header' };
  if (clientId !== check.clientId) return { code: 1005, msg: 'clientId invalid' };
  if (header(headers, 'sign_method') !== 'HMAC-SHA256') return { code: 1004, msg: 'sign invalid' };
  if (!/^\d{13}$/.test(t) || Math.abs(Number(t) - check.now) > check.maxSkewMs) return { code: 1013, msg: 'request time is invalid' };
  const accessToken = tokenCall ? '' : (header(headers, 'access_token') ?? '');
  const contentHash = createHash('sha256').update(body).digest('hex');
  const text = `${clientId}${accessToken}${t}${nonce}${method.toUpperCase()}\n${contentHash}\n\n${sortedUrl(rawUrl)}`;
  const expected = Buffer.from(createHmac('sha256', check.secret).update(text, 'utf8').digest('hex').toUpperCase());
  const given = Buffer.from(sign);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { code: 1004, msg: 'sign invalid' };
  if (nonce && check.nonceSeen(nonce)) return { code: 1004, msg: 'sign invalid: nonce already used' };
  return undefined;
}
