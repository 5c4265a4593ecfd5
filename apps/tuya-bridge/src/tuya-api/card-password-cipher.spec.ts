import { encryptCardPassword } from './card-password-cipher';

describe('card password encryption (AES-128-ECB, PKCS7, upper-case hex)', () => {
  it('matches OpenSSL for the same key and text', () => {
    // printf '123456' | openssl enc -aes-128-ecb -K $(printf 'c0ffee5eed2b4a9e' | xxd -p) | xxd -p
    expect(encryptCardPassword('123456', 'c0ffee5eed2b4a9e8d7c6b5a49382716')).toBe('ADA8D31E5F7792AA4CA2084033B4EC7E');
  });

  it('pads to whole blocks and depends on the key', () => {
    expect(encryptCardPassword('1234567890123456', 'c0ffee5eed2b4a9e8d7c6b5a49382716')).toMatch(/^[0-9A-F]{64}$/);
    expect(encryptCardPassword('123456', 'c0ffee5eed2b4a9fXXXX')).not.toBe('ADA8D31E5F7792AA4CA2084033B4EC7E');
  });

  it('refuses a secret too short for a key rather than padding it', () => {
    expect(() => encryptCardPassword('123456', 'short')).toThrow('16 bytes');
  });
});
