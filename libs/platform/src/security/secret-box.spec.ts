import { createCipheriv, randomBytes } from 'node:crypto';
import { hashSecret, SealedWithOtherKeyError, sealedWithFingerprint, sealingKeyFingerprint, SecretBox, verifySecret } from './secret-box';
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
    expect(() => new SecretBox(`${randomBytes(32).toString('hex')},abcd`)).toThrow(/32 bytes/);
    expect(() => new SecretBox([])).toThrow(/needs a key/);
  });
});

describe('SecretBox with a key list, newest first', () => {
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');

  /** A value sealed as SecretBox did before values named their key: v1.<iv>.<tag>.<body>. */
  function legacySeal(hexKey: string, plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(hexKey, 'hex'), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  it('fingerprints a key as 8 hex digits of a hash, the same for the same key, never the key', () => {
    const fp = sealingKeyFingerprint(oldKey);
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(sealingKeyFingerprint(oldKey.toUpperCase())).toBe(fp);
    expect(sealingKeyFingerprint(newKey)).not.toBe(fp);
    expect(oldKey).not.toContain(fp);
  });

  it('seals with the newest key, naming it in the value, and opens with any listed key', () => {
    const before = new SecretBox(oldKey).seal('device-secret');
    expect(before).toMatch(new RegExp(`^v2\\.${sealingKeyFingerprint(oldKey)}\\.`));
    const rotating = new SecretBox(`${newKey},${oldKey}`);
    expect(rotating.fingerprints).toEqual([sealingKeyFingerprint(newKey), sealingKeyFingerprint(oldKey)]);
    expect(rotating.sealingFingerprint).toBe(sealingKeyFingerprint(newKey));
    expect(rotating.open(before)).toBe('device-secret');
    expect(rotating.isCurrent(before)).toBe(false);
    const after = rotating.seal('device-secret');
    expect(sealedWithFingerprint(after)).toBe(sealingKeyFingerprint(newKey));
    expect(rotating.isCurrent(after)).toBe(true);
    expect(new SecretBox([newKey]).open(after)).toBe('device-secret');
  });

  it('refuses a value sealed with a key it does not hold, naming that key', () => {
    const sealed = new SecretBox(oldKey).seal('device-secret');
    let error: unknown;
    try {
      new SecretBox(newKey).open(sealed);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SealedWithOtherKeyError);
    expect((error as SealedWithOtherKeyError).fingerprint).toBe(sealingKeyFingerprint(oldKey));
    expect((error as Error).message).toBe(`sealed with key fp ${sealingKeyFingerprint(oldKey)}, which is not among the configured keys (fp ${sealingKeyFingerprint(newKey)})`);
  });

  it('does not open a value altered to name another listed key', () => {
    const box = new SecretBox([newKey, oldKey]);
    const parts = new SecretBox(oldKey).seal('device-secret').split('.');
    parts[1] = sealingKeyFingerprint(newKey);
    expect(() => box.open(parts.join('.'))).toThrow(/unable to authenticate/);
  });

  it("keeps reading values sealed in yesterday's format, with whichever listed key sealed them", () => {
    const legacy = legacySeal(oldKey, 'device-secret');
    expect(sealedWithFingerprint(legacy)).toBeUndefined();
    expect(new SecretBox(oldKey).open(legacy)).toBe('device-secret');
    const rotating = new SecretBox([newKey, oldKey]);
    expect(rotating.open(legacy)).toBe('device-secret');
    expect(rotating.isCurrent(legacy)).toBe(false);
    expect(() => new SecretBox(newKey).open(legacy)).toThrow(SealedWithOtherKeyError);
  });

  it('refuses what is not a sealed value', () => {
    const box = new SecretBox(newKey);
    for (const junk of ['', 'v2', 'v3.a.b.c.d', 'v1.a.b', `v2.${sealingKeyFingerprint(newKey)}.AAAA.AAAA`]) expect(() => box.open(junk)).toThrow();
  });

  it('lists a key once however often it is given', () => {
    expect(new SecretBox([newKey, oldKey, newKey]).fingerprints).toEqual([sealingKeyFingerprint(newKey), sealingKeyFingerprint(oldKey)]);
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
