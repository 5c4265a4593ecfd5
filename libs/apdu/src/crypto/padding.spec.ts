import { CryptoInputError } from '../errors';
import { padIfUnaligned, padIso9797Method2, unpadIso9797Method2 } from './padding';

const hex = (b: Buffer) => b.toString('hex').toUpperCase();

describe('ISO/IEC 9797-1 padding method 2', () => {
  it('always pads, adding a full block when aligned', () => {
    expect(hex(padIso9797Method2(Buffer.from([1, 2, 3]), 8))).toBe('0102038000000000');
    expect(hex(padIso9797Method2(Buffer.alloc(8, 0xaa), 8))).toBe('AAAAAAAAAAAAAAAA8000000000000000');
    expect(hex(padIso9797Method2(Buffer.alloc(0), 16))).toBe('80' + '00'.repeat(15));
  });

  it('unpads and rejects bad trailers', () => {
    expect(hex(unpadIso9797Method2(Buffer.from('0102038000000000', 'hex'), 8))).toBe('010203');
    expect(hex(unpadIso9797Method2(Buffer.from('AAAAAAAAAAAAAAAA8000000000000000', 'hex'), 8))).toBe('AAAAAAAAAAAAAAAA');
    expect(() => unpadIso9797Method2(Buffer.from('0102030000000000', 'hex'), 8)).toThrow(CryptoInputError);
    expect(() => unpadIso9797Method2(Buffer.from('800000', 'hex'), 8)).toThrow(CryptoInputError);
    // 80 must sit in the final block.
    expect(() => unpadIso9797Method2(Buffer.from('80000000000000000000000000000000', 'hex'), 8)).toThrow(CryptoInputError);
  });

  it('padIfUnaligned leaves aligned data alone', () => {
    expect(hex(padIfUnaligned(Buffer.alloc(8, 1), 8))).toBe('0101010101010101');
    expect(hex(padIfUnaligned(Buffer.alloc(7, 1), 8))).toBe('0101010101010180');
  });
});
