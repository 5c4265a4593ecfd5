import { TlvFormatError } from '../errors';
import {
  decodeFirstTlv, decodeTlv, encodeLength, encodeTlv, findTlv, formatTlv, isConstructedTag, tagBytes, tagHex,
} from './ber-tlv';

const hex = (b: Buffer) => b.toString('hex').toUpperCase();

describe('BER-TLV', () => {
  it('encodes single- and multi-byte tags', () => {
    expect(hex(encodeTlv({ tag: 0x5a, value: Buffer.from([0x12, 0x34]) }))).toBe('5A021234');
    expect(hex(encodeTlv({ tag: 0x9f02, value: Buffer.alloc(6) }))).toBe('9F0206000000000000');
    expect(hex(encodeTlv({ tag: 0xdf8101, value: Buffer.from([1]) }))).toBe('DF81010101');
  });

  it('rejects malformed tags', () => {
    expect(() => tagBytes(0x9f)).toThrow(TlvFormatError); // announces more bytes but has none
    expect(() => tagBytes(0x5a01)).toThrow(TlvFormatError); // single-byte tag with a trailing byte
    expect(() => tagBytes(0x9f8001)).not.toThrow();
    expect(() => tagBytes(0x9f8081)).toThrow(TlvFormatError); // last byte still has bit 8 set
    expect(() => tagBytes(0)).toThrow(TlvFormatError);
  });

  it('encodes long-form lengths', () => {
    expect(hex(encodeLength(0x7f))).toBe('7F');
    expect(hex(encodeLength(0x80))).toBe('8180');
    expect(hex(encodeLength(0xff))).toBe('81FF');
    expect(hex(encodeLength(0x100))).toBe('820100');
    expect(hex(encodeLength(0x10000))).toBe('83010000');
    const big = encodeTlv({ tag: 0xc1, value: Buffer.alloc(300, 7) });
    expect(hex(big.subarray(0, 4))).toBe('C182012C');
    expect(decodeTlv(big)[0].value.length).toBe(300);
  });

  it('nests constructed tags and round-trips', () => {
    const encoded = encodeTlv({
      tag: 0x70,
      children: [
        { tag: 0xa5, children: [{ tag: 0x9f02, value: Buffer.from([1, 2]) }, { tag: 0x50, value: Buffer.from('APP') }] },
        { tag: 0xdf01, value: Buffer.from([0xff]) },
      ],
    });
    expect(hex(encoded)).toBe('7010A50A9F020201025003415050DF0101FF');
    const [root] = decodeTlv(encoded);
    expect(root.tag).toBe(0x70);
    expect(root.children).toHaveLength(2);
    expect(root.children?.[0].children?.[0].value).toEqual(Buffer.from([1, 2]));
    expect(findTlv([root], 0x50)?.value.toString()).toBe('APP');
    expect(findTlv([root], 0x9999)).toBeUndefined();
    expect(formatTlv([root])).toBe('70[A5[9F02=0102 50=415050] DF01=FF]');
    expect(hex(encodeTlv(decodeTlv(encoded).map((n) => ({ tag: n.tag, value: n.value }))))).toBe(hex(encoded));
  });

  it('knows constructed tags', () => {
    expect(isConstructedTag(0x70)).toBe(true);
    expect(isConstructedTag(0xbf0c)).toBe(true);
    expect(isConstructedTag(0x9f02)).toBe(false);
    expect(tagHex(0x5)).toBe('05');
  });

  it.each([
    ['missing length', '5A'],
    ['truncated value', '5A0312'],
    ['truncated multi-byte tag', '9F'],
    ['truncated long-form length', '5A82 01'],
    ['indefinite length', '70800000'],
    ['too many length bytes', '5A850000000001'],
    ['truncated child inside constructed', '70035A0512'],
    ['filler byte 00 as a tag', '0000'],
    ['filler byte FF as a tag', 'FF00'],
  ])('rejects %s', (_name, h) => {
    expect(() => decodeTlv(Buffer.from(h.replace(/ /g, ''), 'hex'))).toThrow(TlvFormatError);
  });

  it('decodes the first object and reports where it ends', () => {
    const { node, end } = decodeFirstTlv(Buffer.from('5A0112000000', 'hex'));
    expect(node.value).toEqual(Buffer.from([0x12]));
    expect(end).toBe(3);
  });

  it('refuses encoding children under primitive tags or both value and children', () => {
    expect(() => encodeTlv({ tag: 0x5a, children: [] })).toThrow(TlvFormatError);
    expect(() => encodeTlv({ tag: 0x70, value: Buffer.alloc(1), children: [] })).toThrow(TlvFormatError);
  });
});
