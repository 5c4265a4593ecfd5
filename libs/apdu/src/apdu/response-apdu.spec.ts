import { ApduFormatError } from '../errors';
import { ResponseApdu } from './response-apdu';

describe('ResponseApdu', () => {
  it('splits data and status word', () => {
    const r = ResponseApdu.parse('0102030490 00');
    expect(r.data.toString('hex')).toBe('01020304');
    expect([r.sw1, r.sw2, r.sw, r.swHex]).toEqual([0x90, 0x00, 0x9000, '9000']);
    expect(r.isSuccess).toBe(true);
    expect(r.toHex()).toBe('010203049000');
  });

  it('accepts a bare status word and exposes its meaning', () => {
    const r = ResponseApdu.parse('6988');
    expect(r.data.length).toBe(0);
    expect(r.isSuccess).toBe(false);
    expect(r.meaning).toMatch(/MAC/);
  });

  it.each([
    ['non-hex', '90ZZ', /non-hex/],
    ['odd length', '900', /odd/],
    ['too short', '90', /shorter than/],
    ['empty', '', /shorter than/],
  ])('throws ApduFormatError on %s', (_name, hex, message) => {
    expect(() => ResponseApdu.parse(hex)).toThrow(ApduFormatError);
    expect(() => ResponseApdu.parse(hex)).toThrow(message);
  });

  it('builds from a status word', () => {
    expect(ResponseApdu.status(0x63c2).toHex()).toBe('63C2');
    expect(() => ResponseApdu.status(0x10000)).toThrow(ApduFormatError);
  });
});
