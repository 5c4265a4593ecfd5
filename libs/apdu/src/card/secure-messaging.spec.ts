import { blockEncrypt } from '../crypto/block-cipher';
import { pbocSm4Mac, retailMac } from '../crypto/mac';
import { CryptoInputError } from '../errors';
import { readBinary, updateBinary, writeKey } from './commands';
import {
  authCryptogram, challengeBlock, decryptSmData, encryptSmData, secureMessagingMac, verifyMac, withMac,
} from './secure-messaging';

const key = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const challenge = Buffer.from('11223344', 'hex');

describe('secure messaging', () => {
  it('pads the challenge into the IV', () => {
    expect(challengeBlock(challenge, '3DES').toString('hex')).toBe('1122334400000000');
    expect(challengeBlock(challenge, 'SM4').toString('hex')).toBe('11223344' + '00'.repeat(12));
  });

  it('3DES MAC = leading 4 bytes of the retail MAC over the SM header and data', () => {
    const cmd = withMac(updateBinary(0, Buffer.from('AABB', 'hex')), '3DES', key, challenge);
    expect(cmd.toHex().slice(0, 14)).toBe('04D6000006AABB');
    const expected = retailMac(key, Buffer.from('04D6000006AABB', 'hex'), { iv: Buffer.from('1122334400000000', 'hex') });
    expect(cmd.data.subarray(2)).toEqual(expected.subarray(0, 4));
  });

  it('SM4 MAC = leading 4 bytes of the folded SM4 MAC', () => {
    const cmd = withMac(updateBinary(0, Buffer.from('AABB', 'hex')), 'SM4', key, challenge);
    const expected = pbocSm4Mac(key, Buffer.from('04D6000006AABB', 'hex'), { iv: challengeBlock(challenge, 'SM4') });
    expect(cmd.data.subarray(2)).toEqual(expected.subarray(0, 4));
    expect(secureMessagingMac('SM4', key, Buffer.from('04D6000006AABB', 'hex'), challenge)).toEqual(expected.subarray(0, 4));
  });

  it("SM4 MAC with fold 'none' = leading 4 bytes of the unfolded block, and the two forms refuse each other", () => {
    const input = Buffer.from('04D6000006AABB', 'hex');
    const iv = challengeBlock(challenge, 'SM4');
    const unfolded = secureMessagingMac('SM4', key, input, challenge, 'none');
    expect(unfolded).toEqual(pbocSm4Mac(key, input, { iv, fold: 'none' }).subarray(0, 4));
    expect(unfolded).not.toEqual(secureMessagingMac('SM4', key, input, challenge, 'xor-halves'));
    expect(secureMessagingMac('SM4', key, input, challenge)).toEqual(secureMessagingMac('SM4', key, input, challenge, 'xor-halves'));

    const none = withMac(updateBinary(0, Buffer.from('AABB', 'hex')), 'SM4', key, challenge, 'none');
    expect(none.data.subarray(2)).toEqual(unfolded);
    expect(verifyMac(none, 'SM4', key, challenge, 'none')).toEqual(Buffer.from('AABB', 'hex'));
    expect(verifyMac(none, 'SM4', key, challenge, 'xor-halves')).toBeNull();
    expect(verifyMac(none, 'SM4', key, challenge)).toBeNull();
    const folded = withMac(updateBinary(0, Buffer.from('AABB', 'hex')), 'SM4', key, challenge);
    expect(verifyMac(folded, 'SM4', key, challenge, 'none')).toBeNull();
  });

  it('3DES ignores the SM4 fold', () => {
    const input = Buffer.from('04D6000006AABB', 'hex');
    expect(secureMessagingMac('3DES', key, input, challenge, 'none')).toEqual(secureMessagingMac('3DES', key, input, challenge));
    const cmd = withMac(updateBinary(0, Buffer.from('AABB', 'hex')), '3DES', key, challenge, 'none');
    expect(verifyMac(cmd, '3DES', key, challenge, 'xor-halves')).toEqual(Buffer.from('AABB', 'hex'));
  });

  it.each(['3DES', 'SM4'] as const)('%s: the card side verifies and rejects tampering, wrong key and stale challenge', (alg) => {
    const cmd = withMac(writeKey(1, Buffer.alloc(24, 5)), alg, key, challenge);
    expect(cmd.cla).toBe(0x84);
    expect(verifyMac(cmd, alg, key, challenge)).toEqual(Buffer.alloc(24, 5));
    const tampered = cmd.with({ data: Buffer.from(cmd.data.map((b, i) => (i === cmd.data.length - 1 ? b ^ 1 : b))) });
    expect(verifyMac(tampered, alg, key, challenge)).toBeNull();
    expect(verifyMac(cmd, alg, Buffer.alloc(16, 1), challenge)).toBeNull();
    expect(verifyMac(cmd, alg, key, Buffer.from('11223345', 'hex'))).toBeNull();
    expect(verifyMac(writeKey(1, Buffer.alloc(24)), alg, key, challenge)).toBeNull(); // no SM bit
  });

  it('MACs a case-4 READ BINARY over the header only', () => {
    const cmd = withMac(readBinary(0, 256), '3DES', key, challenge);
    expect(cmd.toHex().slice(0, 10)).toBe('04B0000004');
    expect(cmd.toHex().slice(-2)).toBe('00');
    expect(verifyMac(cmd, '3DES', key, challenge)).toEqual(Buffer.alloc(0));
  });

  it.each(['3DES', 'SM4'] as const)('%s: key data is framed with Ld and padded only when unaligned', (alg) => {
    for (const len of [0, 7, 15, 22, 23, 31]) {
      const plain = Buffer.alloc(len, 0x5a);
      const enc = encryptSmData(alg, key, plain);
      expect(enc.length % (alg === 'SM4' ? 16 : 8)).toBe(0);
      expect(decryptSmData(alg, key, enc)).toEqual(plain);
    }
    // 7 bytes + Ld = 8: aligned for DES, so no 80 is added.
    expect(encryptSmData('3DES', key, Buffer.alloc(7))).toEqual(blockEncrypt('3DES', key, Buffer.from('0700000000000000', 'hex')));
  });

  it('rejects inconsistent encrypted frames', () => {
    expect(() => decryptSmData('3DES', key, Buffer.alloc(5))).toThrow(CryptoInputError);
    const badLd = blockEncrypt('3DES', key, Buffer.from('2000000000000000', 'hex'));
    expect(() => decryptSmData('3DES', key, badLd)).toThrow(/Ld/);
    const badPad = blockEncrypt('3DES', key, Buffer.from('0211220000000000', 'hex'));
    expect(() => decryptSmData('3DES', key, badPad)).toThrow(/padding/);
  });

  it('builds the external-auth cryptogram over the padded challenge', () => {
    const c8 = Buffer.from('0102030405060708', 'hex');
    expect(authCryptogram('3DES', key, c8)).toEqual(blockEncrypt('3DES', key, c8));
    expect(authCryptogram('SM4', key, c8)).toEqual(blockEncrypt('SM4', key, Buffer.concat([c8, Buffer.alloc(8)])));
  });
});
