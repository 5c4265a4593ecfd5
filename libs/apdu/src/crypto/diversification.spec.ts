import { CryptoInputError } from '../errors';
import { blockEncrypt } from './block-cipher';
import {
  adjustDesParity, diversificationData, loadSessionData, pbocDiversify, pbocSessionKey, purchaseSessionData,
} from './diversification';

const h = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const hex = (b: Buffer) => b.toString('hex').toUpperCase();

describe('PBOC key diversification', () => {
  const mk = h('0123456789ABCDEFFEDCBA9876543210');

  it('3DES: equals EMV Book 2 A1.4.1 option A once parity is fixed (pyemv derive_icc_mk_a example)', () => {
    // pyemv kd.py docstring: iss_mk 0123456789ABCDEFFEDCBA9876543210, PAN 99012345678901234, PSN 45
    // → ICC MK 67F8292358083E5EA7AB7FDA58D53B6B. Y = rightmost 16 digits of PAN||PSN.
    const y = h('1234567890123445');
    const key = pbocDiversify(mk, y, '3DES');
    expect(hex(adjustDesParity(key))).toBe('67F8292358083E5EA7AB7FDA58D53B6B');
    expect(hex(key)).toBe('67F8292358083F5EA6AB7FDA58D43A6B');
  });

  it('3DES: left = E(MK, D), right = E(MK, ~D)', () => {
    const d = h('0000000012345678');
    const key = pbocDiversify(mk, d, '3DES');
    expect(key.subarray(0, 8)).toEqual(blockEncrypt('3DES', mk, d));
    expect(key.subarray(8)).toEqual(blockEncrypt('3DES', mk, h('FFFFFFFFEDCBA987')));
  });

  it('SM4: encrypts D || ~D as one block', () => {
    const d = h('0000000012345678');
    expect(pbocDiversify(mk, d, 'SM4')).toEqual(blockEncrypt('SM4', mk, h('0000000012345678FFFFFFFFEDCBA987')));
  });

  it('accepts 3-key master keys for 3DES and still returns 16 bytes', () => {
    expect(pbocDiversify(Buffer.alloc(24, 1), h('0102030405060708'), '3DES')).toHaveLength(16);
    expect(() => pbocDiversify(Buffer.alloc(24, 1), h('0102030405060708'), 'SM4')).toThrow(CryptoInputError);
    expect(() => pbocDiversify(mk, h('01'), '3DES')).toThrow(CryptoInputError);
  });

  it('right-aligns identifiers into 8 bytes', () => {
    expect(hex(diversificationData(h('04A1B2C3')))).toBe('0000000004A1B2C3');
    expect(hex(diversificationData(h('0102030405060708')))).toBe('0102030405060708');
    expect(hex(diversificationData(h('AABB0102030405060708')))).toBe('0102030405060708');
    expect(() => diversificationData(Buffer.alloc(0))).toThrow(CryptoInputError);
  });
});

describe('PBOC session keys', () => {
  const dpk = h('0123456789ABCDEFFEDCBA9876543210');

  it('builds purchase and load session data', () => {
    expect(hex(purchaseSessionData(h('11223344'), h('0005'), h('00000102')))).toBe('1122334400050102');
    expect(hex(loadSessionData(h('11223344'), h('0007')))).toBe('1122334400078000');
    expect(() => loadSessionData(h('11'), h('0007'))).toThrow(CryptoInputError);
  });

  it('3DES: one 3DES-ECB block gives an 8-byte DES key', () => {
    const data = h('1122334400050102');
    expect(pbocSessionKey(dpk, data, '3DES')).toEqual(blockEncrypt('3DES', dpk, data));
  });

  it('SM4: data padded 80 00.. to one block gives a 16-byte key', () => {
    const data = h('1122334400050102');
    const sk = pbocSessionKey(dpk, data, 'SM4');
    expect(sk).toEqual(blockEncrypt('SM4', dpk, h('1122334400050102 8000000000000000')));
    expect(sk).toHaveLength(16);
    expect(() => pbocSessionKey(dpk, h('11'), 'SM4')).toThrow(CryptoInputError);
  });
});
