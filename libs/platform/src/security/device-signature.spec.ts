import { createHash, createHmac } from 'node:crypto';
import { AppError, ErrorKind } from '@onecard/kernel';
import { canonicalString, checkTimestamp, DeviceSignaturePolicy, DeviceSignatureVerifier, SignedRequest, signatureMatches, signDeviceRequest } from './device-signature';
import type { NonceRegistry } from './nonce-registry';

const secret = 'a'.repeat(64);

describe('device request signature', () => {
  it('signs METHOD, path with query, timestamp, nonce and the body hash, newline-separated', () => {
    const body = '{"machineNo":"K1","cardCount":"10"}';
    const parts = { method: 'post', pathWithQuery: '/yktInfo/openCard/saveMachine?v=1', timestamp: '1732300000000', nonce: 'n0nce-123', body };
    const bodyHash = createHash('sha256').update(body).digest('hex');
    expect(canonicalString(parts)).toBe(`POST\n/yktInfo/openCard/saveMachine?v=1\n1732300000000\nn0nce-123\n${bodyHash}`);
    const expected = createHmac('sha256', secret).update(canonicalString(parts)).digest('hex');
    expect(signDeviceRequest(secret, parts)).toBe(expected);
    expect(signatureMatches(secret, parts, expected)).toBe(true);
    expect(signatureMatches(secret, parts, expected.toUpperCase())).toBe(true);
  });

  it('hashes an empty body as SHA-256 of ""', () => {
    const text = canonicalString({ method: 'GET', pathWithQuery: '/p', timestamp: '1', nonce: 'n', body: '' });
    expect(text.split('\n')[4]).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('fails on any changed byte: method, path, query, timestamp, nonce, body or secret', () => {
    const parts = { method: 'POST', pathWithQuery: '/a?b=1', timestamp: '1732300000000', nonce: 'abcdefgh', body: Buffer.from('{}') };
    const sig = signDeviceRequest(secret, parts);
    const variants = [
      { ...parts, method: 'PUT' },
      { ...parts, pathWithQuery: '/a?b=2' },
      { ...parts, pathWithQuery: '/a' },
      { ...parts, timestamp: '1732300000001' },
      { ...parts, nonce: 'abcdefgi' },
      { ...parts, body: Buffer.from('{ }') },
    ];
    for (const v of variants) expect(signatureMatches(secret, v, sig)).toBe(false);
    expect(signatureMatches('b'.repeat(64), parts, sig)).toBe(false);
  });

  it('accepts timestamps within the skew either way and refuses stale or malformed ones', () => {
    const now = 1_732_300_000_000;
    expect(checkTimestamp(String(now - 299_999), now, 300_000)).toEqual({ ok: true });
    expect(checkTimestamp(String(now + 300_000), now, 300_000)).toEqual({ ok: true });
    expect(checkTimestamp(String(now - 300_001), now, 300_000)).toEqual({ ok: false, problem: 'stale' });
    expect(checkTimestamp(String(now + 300_001), now, 300_000)).toEqual({ ok: false, problem: 'stale' });
    expect(checkTimestamp('1732300000', now, 300_000)).toEqual({ ok: false, problem: 'malformed' });
    expect(checkTimestamp('17323000000x0', now, 300_000)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('accepts unix seconds (10 digits) only when asked, in the same window', () => {
    const now = 1_732_300_000_000;
    expect(checkTimestamp('1732300000', now, 300_000, true)).toEqual({ ok: true });
    expect(checkTimestamp('1732300300', now, 300_000, true)).toEqual({ ok: true });
    expect(checkTimestamp('1732299699', now, 300_000, true)).toEqual({ ok: false, problem: 'stale' });
    expect(checkTimestamp('1732300301', now, 300_000, true)).toEqual({ ok: false, problem: 'stale' });
    expect(checkTimestamp(String(now), now, 300_000, true)).toEqual({ ok: true });
    for (const odd of ['173230000', '17323000000', '173230000000', ' 1732300000', '1732300000.5']) {
      expect([odd, checkTimestamp(odd, now, 300_000, true)]).toEqual([odd, { ok: false, problem: 'malformed' }]);
    }
  });
});

describe('DeviceSignatureVerifier', () => {
  const now = 1_732_300_000_000;
  const claimed = new Set<string>();
  // The registry's contract (first claim true, a replay false); Postgres itself is covered by the apps' e2e suites.
  const nonces = { claim: async (scope: string, nonce: string) => !claimed.has(`${scope}/${nonce}`) && Boolean(claimed.add(`${scope}/${nonce}`)) } as unknown as NonceRegistry;
  const verifier = new DeviceSignatureVerifier(nonces);
  const policy: DeviceSignaturePolicy<{ id: string; secret: string }> = {
    headers: { device: 'x-device-key', timestamp: 'x-timestamp', nonce: 'x-nonce', signature: 'x-signature' },
    deviceIdFormat: /^[A-Z0-9]{1,20}$/,
    maxSkewMs: 300_000,
    nonceScope: 'terminal',
    unknownDeviceMessage: 'x-device-key: unknown device',
    codes: { headerMissing: 'MISSING', headerMalformed: 'MALFORMED', timestampStale: 'STALE', unknownDevice: 'UNKNOWN', badSignature: 'BAD', nonceReplayed: 'REPLAYED' },
    lookup: async (id) => (id === 'T1' ? { id, secret } : undefined),
    signatureHint: () => ' (hint)',
  };

  function signed(overrides: Partial<Record<string, string | undefined>> = {}, body = '{"a":1}'): SignedRequest {
    const nonce = overrides['x-nonce'] ?? `nonce-${Math.random().toString(36).slice(2, 12)}`;
    const timestamp = overrides['x-timestamp'] ?? String(now);
    const signature = signDeviceRequest(secret, { method: 'POST', pathWithQuery: '/terminal/ack?x=1', timestamp, nonce, body });
    const headers: Record<string, string | undefined> = { 'x-device-key': 'T1', 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature, ...overrides };
    return { method: 'POST', url: '/terminal/ack?x=1', headers, body: Buffer.from(body) };
  }

  async function refusal(request: SignedRequest): Promise<Pick<AppError, 'kind' | 'code' | 'field' | 'message'>> {
    const error = await verifier.verify(request, policy, now).then(
      () => undefined,
      (e: AppError) => e,
    );
    if (!error) throw new Error('expected a refusal');
    return { kind: error.kind, code: error.code, field: error.field, message: error.message };
  }

  it('returns the device for a correctly signed request', async () => {
    await expect(verifier.verify(signed(), policy, now)).resolves.toEqual({ id: 'T1', secret });
  });

  it('names the missing header, in header order, before anything else', async () => {
    expect(await refusal(signed({ 'x-device-key': undefined, 'x-nonce': '' }))).toEqual({ kind: ErrorKind.UNAUTHENTICATED, code: 'MISSING', field: 'x-device-key', message: 'x-device-key: header required' });
    expect((await refusal(signed({ 'x-signature': undefined }))).message).toBe('x-signature: header required');
  });

  it('refuses malformed headers and timestamps, stale and future ones', async () => {
    expect(await refusal(signed({ 'x-device-key': 't-1' }))).toMatchObject({ code: 'MALFORMED', message: 'x-device-key: malformed header' });
    expect(await refusal(signed({ 'x-nonce': 'short' }))).toMatchObject({ code: 'MALFORMED', message: 'x-nonce: malformed header' });
    expect(await refusal(signed({ 'x-signature': 'zz' }))).toMatchObject({ code: 'MALFORMED', field: 'x-signature' });
    expect(await refusal(signed({ 'x-timestamp': '1732300000' }))).toMatchObject({ code: 'MALFORMED', message: 'x-timestamp: must be unix time in milliseconds (13 digits)' });
    expect(await refusal(signed({ 'x-timestamp': String(now - 300_001) }))).toMatchObject({ code: 'STALE', message: 'x-timestamp: more than 300 s from server time' });
    expect(await refusal(signed({ 'x-timestamp': String(now + 300_001) }))).toMatchObject({ code: 'STALE' });
  });

  it('refuses an unknown device, a wrong signature (with the hint) and a replayed nonce', async () => {
    expect(await refusal(signed({ 'x-device-key': 'T2' }))).toMatchObject({ code: 'UNKNOWN', message: 'x-device-key: unknown device' });
    const tampered = { ...signed(), body: Buffer.from('{"a":2}') };
    expect(await refusal(tampered)).toMatchObject({ code: 'BAD', field: 'x-signature', message: 'x-signature: signature does not match the request (hint)' });
    const once = signed();
    await verifier.verify(once, policy, now);
    expect(await refusal(once)).toMatchObject({ code: 'REPLAYED', message: 'x-nonce: already used; sign a retried request again with a new nonce' });
  });

  it('with timestampSeconds, takes a 10-digit timestamp signed as sent; stale seconds and replays are still refused', async () => {
    const seconds = { ...policy, timestampSeconds: true };
    const request = signed({ 'x-timestamp': String(now / 1000), 'x-nonce': 'seconds-nonce-1' });
    await expect(verifier.verify(request, seconds, now)).resolves.toMatchObject({ id: 'T1' });
    await expect(verifier.verify(request, seconds, now)).rejects.toMatchObject({ code: 'REPLAYED' });
    await expect(verifier.verify(signed({ 'x-timestamp': String(now / 1000 - 301) }), seconds, now)).rejects.toMatchObject({ code: 'STALE', message: 'x-timestamp: more than 300 s from server time' });
    await expect(verifier.verify(signed({ 'x-timestamp': '17323000' }), seconds, now)).rejects.toMatchObject({
      code: 'MALFORMED',
      message: 'x-timestamp: must be unix time in milliseconds (13 digits) or seconds (10 digits)',
    });
    // The same request signed over its milliseconds does not pass with the seconds header.
    const resigned = signed({ 'x-nonce': 'seconds-nonce-2' });
    await expect(verifier.verify({ ...resigned, headers: { ...resigned.headers, 'x-timestamp': String(now / 1000) } }, seconds, now)).rejects.toMatchObject({ code: 'BAD' });
  });

  it('checks the nonce only once the signature is right (a forger cannot burn nonces)', async () => {
    const request = signed({ 'x-nonce': 'kept-nonce-1' });
    await refusal({ ...request, body: Buffer.from('forged') });
    await expect(verifier.verify(request, policy, now)).resolves.toMatchObject({ id: 'T1' });
  });
});
