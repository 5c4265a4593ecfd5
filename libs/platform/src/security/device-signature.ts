import { Injectable } from '@nestjs/common';
import { AppError, ErrorKind } from '@onecard/kernel';
import { hmacSha256Hex, safeEqual, sha256Hex } from './hmac';
import { NonceRegistry } from './nonce-registry';

/**
 * Signed device requests, the one way every app checks them (kiosks, attendance terminals…).
 * A device sends four headers — its id, a timestamp (unix ms; seconds too where the policy says
 * so), a single-use nonce and a
 * signature — where the signature is lowercase hex HMAC-SHA256(secret, canonical string) and the
 * canonical string is METHOD \n path-with-query \n timestamp \n nonce \n lowercase hex SHA-256(raw
 * body). The key is the secret exactly as issued (its UTF-8 text). Each app names the headers.
 */
export interface SignedParts {
  method: string;
  /** Path and query exactly as sent on the request line (`/terminal/sync?cursor=12`). */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  /** Raw body bytes; empty for a GET. */
  body: Buffer | string;
}

export const EMPTY_BODY_SHA256 = sha256Hex('');

export function canonicalString(parts: SignedParts): string {
  const bodyHash = parts.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(parts.body);
  return `${parts.method.toUpperCase()}\n${parts.pathWithQuery}\n${parts.timestamp}\n${parts.nonce}\n${bodyHash}`;
}

export function signDeviceRequest(secret: string, parts: SignedParts): string {
  return hmacSha256Hex(secret, canonicalString(parts));
}

/** Constant-time; the signature's hex may be upper or lower case. */
export function signatureMatches(secret: string, parts: SignedParts, signature: string): boolean {
  return safeEqual(signDeviceRequest(secret, parts), signature.toLowerCase());
}

export type TimestampCheck = { ok: true } | { ok: false; problem: 'malformed' | 'stale' };

/**
 * The timestamp must be unix milliseconds (13 digits) within `maxSkewMs` of the server clock,
 * either way; with `acceptSeconds`, unix seconds (10 digits) too, checked in the same window.
 */
export function checkTimestamp(value: string, nowMs: number, maxSkewMs: number, acceptSeconds = false): TimestampCheck {
  let ms: number;
  if (/^\d{13}$/.test(value)) ms = Number(value);
  else if (acceptSeconds && /^\d{10}$/.test(value)) ms = Number(value) * 1000;
  else return { ok: false, problem: 'malformed' };
  return Math.abs(ms - nowMs) > maxSkewMs ? { ok: false, problem: 'stale' } : { ok: true };
}

/** Nonce and signature formats, the same for every device kind. */
export const NONCE_FORMAT = /^[A-Za-z0-9_-]{8,64}$/;
export const SIGNATURE_FORMAT = /^[0-9a-fA-F]{64}$/;

/** What can be wrong with a signed request; each app maps these to its own error codes. */
export type DeviceSignatureProblem = 'headerMissing' | 'headerMalformed' | 'timestampStale' | 'unknownDevice' | 'badSignature' | 'nonceReplayed';

/** A device kind's signing rules: header names (lowercase), id format, clock skew, its error codes. */
export interface DeviceSignaturePolicy<D extends { secret: string }> {
  headers: { device: string; timestamp: string; nonce: string; signature: string };
  /** The id header's format, checked before any lookup. */
  deviceIdFormat: RegExp;
  maxSkewMs: number;
  /**
   * Also accept the timestamp in unix seconds (10 digits), for firmware that sends seconds; the
   * skew window is the same. The signature covers the timestamp as sent, whichever unit.
   */
  timestampSeconds?: boolean;
  /** Nonces are single-use per device within this scope (`kiosk`, `terminal`). */
  nonceScope: string;
  /** Message for an id no device has (`x-machine-no: unknown machine`). */
  unknownDeviceMessage: string;
  /** The app's error code for each problem (its feature error enum). */
  codes: Record<DeviceSignatureProblem, string>;
  /** The device and its secret in clear, or undefined when there is none. */
  lookup(deviceId: string): Promise<D | undefined>;
  /** Appended to the bad-signature message (a hint about what the device likely did wrong). */
  signatureHint?(request: SignedRequest): string;
}

/** The request as the verifier needs it. */
export interface SignedRequest {
  method: string;
  /** Path and query as on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes the signature covers. */
  body: Buffer;
}

/**
 * Verifies signed device requests. Checked in this order: headers present and well-formed,
 * timestamp within the skew, device known, signature (constant time), nonce unused (claimed in
 * Postgres through NonceRegistry, so a replay to another replica is refused too). Whether a
 * known device may call is the app's rule (disabled kiosks, deleted terminals), checked after.
 */
@Injectable()
export class DeviceSignatureVerifier {
  constructor(private readonly nonces: NonceRegistry) {}

  async verify<D extends { secret: string }>(request: SignedRequest, policy: DeviceSignaturePolicy<D>, nowMs = Date.now()): Promise<D> {
    const fail = (problem: DeviceSignatureProblem, field: string, message: string) =>
      new AppError(ErrorKind.UNAUTHENTICATED, policy.codes[problem], message, field);
    const { headers: names } = policy;
    const header = (name: string): string => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value[0] : value;
      if (text === undefined || text === '') throw fail('headerMissing', name, `${name}: header required`);
      return text;
    };
    const deviceId = header(names.device);
    const timestamp = header(names.timestamp);
    const nonce = header(names.nonce);
    const signature = header(names.signature);
    const formats: Array<[string, RegExp]> = [
      [names.device, policy.deviceIdFormat],
      [names.nonce, NONCE_FORMAT],
      [names.signature, SIGNATURE_FORMAT],
    ];
    // A repeated header reads as its values joined by commas: malformed.
    for (const [name, format] of formats) if (!format.test(String(request.headers[name]))) throw fail('headerMalformed', name, `${name}: malformed header`);
    const time = checkTimestamp(timestamp, nowMs, policy.maxSkewMs, policy.timestampSeconds);
    if (!time.ok) {
      const units = policy.timestampSeconds ? 'in milliseconds (13 digits) or seconds (10 digits)' : 'in milliseconds (13 digits)';
      throw time.problem === 'malformed'
        ? fail('headerMalformed', names.timestamp, `${names.timestamp}: must be unix time ${units}`)
        : fail('timestampStale', names.timestamp, `${names.timestamp}: more than ${policy.maxSkewMs / 1000} s from server time`);
    }
    const device = await policy.lookup(deviceId);
    if (!device) throw fail('unknownDevice', names.device, policy.unknownDeviceMessage);
    const parts = { method: request.method, pathWithQuery: request.url, timestamp, nonce, body: request.body };
    if (!signatureMatches(device.secret, parts, signature)) {
      const hint = policy.signatureHint?.(request) ?? '';
      throw fail('badSignature', names.signature, `${names.signature}: signature does not match the request${hint}`);
    }
    // A nonce must outlive the window in which its timestamp is acceptable. Refused even when it
    // is an HTTP client's retry of the same bytes: replay protection cannot tell the two apart.
    const fresh = await this.nonces.claim(`${policy.nonceScope}:${deviceId}`, nonce, 2 * policy.maxSkewMs);
    if (!fresh) throw fail('nonceReplayed', names.nonce, `${names.nonce}: already used; sign a retried request again with a new nonce`);
    return device;
  }
}
