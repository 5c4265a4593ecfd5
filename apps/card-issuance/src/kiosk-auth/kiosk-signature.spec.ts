import { createHash, createHmac } from 'node:crypto';
import { canonicalString, checkTimestamp, signatureMatches, signKioskRequest } from './kiosk-signature';

const secret = 'a'.repeat(64);

describe('kiosk signature', () => {
  it('signs METHOD, path with query, timestamp, nonce and the body hash, newline-separated', () => {
    const body = '{"machineNo":"K1","cardCount":"10"}';
    const parts = { method: 'post', pathWithQuery: '/yktInfo/openCard/saveMachine?v=1', timestamp: '1732300000000', nonce: 'n0nce-123', body };
    const bodyHash = createHash('sha256').update(body).digest('hex');
    expect(canonicalString(parts)).toBe(`POST\n/yktInfo/openCard/saveMachine?v=1\n1732300000000\nn0nce-123\n${bodyHash}`);
    const expected = createHmac('sha256', secret).update(canonicalString(parts)).digest('hex');
    expect(signKioskRequest(secret, parts)).toBe(expected);
    expect(signatureMatches(secret, parts, expected)).toBe(true);
    expect(signatureMatches(secret, parts, expected.toUpperCase())).toBe(true);
  });

  it('hashes an empty body as SHA-256 of ""', () => {
    const text = canonicalString({ method: 'GET', pathWithQuery: '/p', timestamp: '1', nonce: 'n', body: '' });
    expect(text.split('\n')[4]).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('fails on any changed byte: method, path, query, timestamp, nonce, body or secret', () => {
    const parts = { method: 'POST', pathWithQuery: '/a?b=1', timestamp: '1732300000000', nonce: 'abcdefgh', body: Buffer.from('{}') };
    const sig = signKioskRequest(secret, parts);
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
});
