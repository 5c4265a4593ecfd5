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

  it('accepts a token signed with any listed key, the newest first, and no other', () => {
    const newer = Buffer.from('n'.repeat(32));
    const byOld = signToken(key, claims);
    expect(readToken([newer, key], byOld)).toEqual(claims);
    expect(readToken([newer, key], signToken(newer, claims))).toEqual(claims);
    expect(readToken([newer], byOld)).toBeUndefined();
    expect(readToken([], byOld)).toBeUndefined();
  });
});
