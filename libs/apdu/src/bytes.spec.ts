import { ApduFormatError } from './errors';
import { equalBytes, hexToBytes, invertBytes, rightPadZeros, toHex, u16, xorBytes } from './bytes';

describe('bytes', () => {
  it('decodes hex case-insensitively and tolerates spaces', () => {
    expect(toHex(hexToBytes('00 a4 04 00'))).toBe('00A40400');
  });

  it('rejects non-hex and odd-length input', () => {
    expect(() => hexToBytes('00ZZ')).toThrow(ApduFormatError);
    expect(() => hexToBytes('900')).toThrow(/odd number/);
  });

  it('xors, inverts and pads', () => {
    expect(toHex(xorBytes(hexToBytes('F0F0'), hexToBytes('0FF0')))).toBe('FF00');
    expect(() => xorBytes(hexToBytes('00'), hexToBytes('0000'))).toThrow(RangeError);
    expect(toHex(invertBytes(hexToBytes('00FF5A')))).toBe('FF00A5');
    expect(toHex(rightPadZeros(hexToBytes('1122'), 4))).toBe('11220000');
    expect(toHex(u16(0x1234))).toBe('1234');
  });

  it('compares bytes', () => {
    expect(equalBytes(hexToBytes('0102'), hexToBytes('0102'))).toBe(true);
    expect(equalBytes(hexToBytes('0102'), hexToBytes('0103'))).toBe(false);
    expect(equalBytes(hexToBytes('01'), hexToBytes('0102'))).toBe(false);
  });
});
