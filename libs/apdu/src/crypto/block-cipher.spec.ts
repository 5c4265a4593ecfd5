import { CryptoInputError } from '../errors';
import { blockDecrypt, blockEncrypt, blockSize } from './block-cipher';

const h = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const hex = (b: Buffer) => b.toString('hex').toUpperCase();

describe('block ciphers', () => {
  // FIPS PUB 81 (DES Modes of Operation), Appendix B Table B1 (ECB) and Appendix C Table C1 (CBC):
  // key 0123456789ABCDEF, IV 1234567890ABCDEF, plaintext "Now is the time for all ".
  const fips81Key = h('0123456789ABCDEF');
  const fips81Plain = Buffer.from('Now is the time for all ', 'ascii');

  it('DES-ECB matches FIPS 81 Table B1', () => {
    const ct = blockEncrypt('DES', fips81Key, fips81Plain, 'ECB');
    expect(hex(ct)).toBe('3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53');
    expect(blockDecrypt('DES', fips81Key, ct, 'ECB')).toEqual(fips81Plain);
  });

  it('DES-CBC matches FIPS 81 Table C1', () => {
    const iv = h('1234567890ABCDEF');
    const ct = blockEncrypt('DES', fips81Key, fips81Plain, 'CBC', iv);
    expect(hex(ct)).toBe('E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6');
    expect(blockDecrypt('DES', fips81Key, ct, 'CBC', iv)).toEqual(fips81Plain);
  });

  it('3-key 3DES-ECB matches NIST SP 800-67 Rev.1 Appendix B example', () => {
    // K1 0123456789ABCDEF, K2 23456789ABCDEF01, K3 456789ABCDEF0123, P = "The qufck brown fox jump".
    const key = h('0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123');
    const pt = Buffer.from('The qufck brown fox jump', 'ascii');
    const ct = blockEncrypt('3DES', key, pt, 'ECB');
    expect(hex(ct)).toBe('A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900');
    expect(blockDecrypt('3DES', key, ct)).toEqual(pt);
  });

  it('2-key 3DES-CBC matches the ICAO Doc 9303 Part 11 Appendix D.3 BAC example (E_IFD)', () => {
    const kEnc = h('AB94FDECF2674FDFB9B391F85D7F76F2');
    const s = h('781723860C06C226 4608F91988702212 0B795240CB7049B01C19B33E32804F0B');
    const eIfd = blockEncrypt('3DES', kEnc, s, 'CBC');
    expect(hex(eIfd)).toBe('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');
    expect(blockDecrypt('3DES', kEnc, eIfd, 'CBC')).toEqual(s);
  });

  it('SM4-ECB matches GB/T 32907-2016 Appendix A example 1', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    const ct = blockEncrypt('SM4', k, k, 'ECB');
    expect(hex(ct)).toBe('681EDF34D206965E86B3E94F536E4246');
    expect(blockDecrypt('SM4', k, ct)).toEqual(k);
  });

  it('SM4-CBC matches the draft-ribose-cfrg-sm4 CBC example', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    const iv = h('000102030405060708090A0B0C0D0E0F');
    const pt = h('AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDD EEEEEEEEFFFFFFFFAAAAAAAABBBBBBBB');
    const ct = blockEncrypt('SM4', k, pt, 'CBC', iv);
    expect(hex(ct)).toBe('78EBB11CC40B0A48312AAEB2040244CB4CB7016951909226979B0D15DC6A8F6D');
    expect(blockDecrypt('SM4', k, ct, 'CBC', iv)).toEqual(pt);
  });

  it('validates key, IV and data lengths', () => {
    expect(() => blockEncrypt('3DES', Buffer.alloc(8), Buffer.alloc(8))).toThrow(CryptoInputError);
    expect(() => blockEncrypt('DES', Buffer.alloc(16), Buffer.alloc(8))).toThrow(CryptoInputError);
    expect(() => blockEncrypt('SM4', Buffer.alloc(8), Buffer.alloc(16))).toThrow(/SM4 key/);
    expect(() => blockEncrypt('SM4', Buffer.alloc(16), Buffer.alloc(8))).toThrow(/multiple of 16/);
    expect(() => blockEncrypt('3DES', Buffer.alloc(16), Buffer.alloc(8), 'CBC', Buffer.alloc(16))).toThrow(/IV/);
    expect(() => blockEncrypt('3DES', Buffer.alloc(16), Buffer.alloc(8), 'ECB', Buffer.alloc(8))).toThrow(/ECB/);
  });

  it('reports block sizes', () => {
    expect(blockSize('SM4')).toBe(16);
    expect(blockSize('3DES')).toBe(8);
    expect(blockSize('DES')).toBe(8);
  });
});
