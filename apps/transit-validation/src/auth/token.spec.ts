import { readToken, signToken } from './token';

describe('device tokens', () => {
  const key = Buffer.from('k'.repeat(32));
  const claims = { deviceId: 'BUS-0001', exp: 1700007200, gen: 2 };

  it('reads back what it signed', () => {
    const token = signToken(key, claims);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.1700007200\.2\.[A-Za-z0-9_-]{43}$/);
    expect(readToken(key, token)).toEqual(claims);
  });

  it('refuses tokens from another key or altered in any part', () => {
    const token = signToken(key, claims);
    expect(readToken(Buffer.from('x'.repeat(32)), token)).toBeUndefined();
    expect(readToken(key, token.replace('.1700007200.', '.1800007200.'))).toBeUndefined();
    expect(readToken(key, token.replace('.2.', '.3.'))).toBeUndefined();
    expect(readToken(key, `v2${token.slice(2)}`)).toBeUndefined();
    expect(readToken(key, 'garbage')).toBeUndefined();
  });

  describe('strict form', () => {
    const token = signToken(key, claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    /** The same MAC bytes spelled differently: the last of 43 characters carries 2 unused bits. */
    const sameBytesOtherSpelling = (t: string) => {
      const last = alphabet.indexOf(t[t.length - 1]);
      return t.slice(0, -1) + alphabet[last ^ 1];
    };

    it.each(['!', '*', '~', '=', '\udc00', '==', ' ', '\n', '.', 'A'])('refuses a valid token with %j appended', (junk) => {
      expect(readToken(key, token + junk)).toBeUndefined();
    });

    it('refuses junk inside a part, padding, leading zeros and a non-canonical spelling of the same bytes', () => {
      const [v, device, exp, gen, macText] = token.split('.');
      expect(readToken(key, [v, `${device}=`, exp, gen, macText].join('.'))).toBeUndefined();
      expect(readToken(key, [v, `${device.slice(0, 2)}!${device.slice(2)}`, exp, gen, macText].join('.'))).toBeUndefined();
      expect(readToken(key, [v, device, `0${exp}`, gen, macText].join('.'))).toBeUndefined();
      expect(readToken(key, [v, device, exp, `0${gen}`, macText].join('.'))).toBeUndefined();
      expect(readToken(key, [v, device, exp, gen, `${macText.slice(0, 20)}~${macText.slice(20)}`].join('.'))).toBeUndefined();
      const respelt = sameBytesOtherSpelling(macText);
      expect(Buffer.from(respelt, 'base64url')).toEqual(Buffer.from(macText, 'base64url'));
      expect(readToken(key, [v, device, exp, gen, respelt].join('.'))).toBeUndefined();
      expect(readToken(key, ` ${token}`)).toBeUndefined();
      expect(readToken(key, token.toUpperCase())).toBeUndefined();
    });

    it('reads a device id of any UTF-8 text back as it was signed', () => {
      const unicode = { ...claims, deviceId: '公交-0001' };
      expect(readToken(key, signToken(key, unicode))).toEqual(unicode);
    });
  });

  it('accepts a token signed with any listed key, the newest first, and no other', () => {
    const newer = Buffer.from('n'.repeat(32));
    const byOld = signToken(key, claims);
    expect(readToken([newer, key], byOld)).toEqual(claims);
    expect(readToken([newer, key], signToken(newer, claims))).toEqual(claims);
    expect(readToken([newer], byOld)).toBeUndefined();
    expect(readToken([], byOld)).toBeUndefined();
  });
});
