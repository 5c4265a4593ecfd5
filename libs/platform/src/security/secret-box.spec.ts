import { randomBytes } from 'node:crypto';
import { hashSecret, SecretBox, verifySecret } from './secret-box';
import { hmacSha256Hex, safeEqual } from './hmac';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('hex'));

  it('round-trips and never stores the secret in clear', () => {
    const sealed = box.seal('device-secret');
    expect(sealed).not.toContain('device-secret');
    expect(box.open(sealed)).toBe('device-secret');
  });

  it('refuses a tampered value and a different key', () => {
    const sealed = box.seal('device-secret');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + '=';
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('hex')).open(sealed)).toThrow();
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new SecretBox('abcd')).toThrow(/32 bytes/);
  });
});

describe('hashSecret', () => {
  it('verifies the right value only, salted', async () => {
    const a = await hashSecret('123456');
    const b = await hashSecret('123456');
    expect(a).not.toBe(b);
    expect(await verifySecret('123456', a)).toBe(true);
    expect(await verifySecret('123457', a)).toBe(false);
    expect(await verifySecret('123456', 'garbage')).toBe(false);
  });
});

describe('hmac helpers', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
  it('compares in constant time, any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
