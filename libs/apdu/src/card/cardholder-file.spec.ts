import { PersonalisationInputError, TlvFormatError } from '../errors';
import { encodeTlv } from '../tlv/ber-tlv';
import { CardholderData, decodeCardholderFile, encodeCardholderFile, isValidDate, validateCardholder } from './cardholder-file';

const sample: CardholderData = {
  cardNo: '3100000000000123',
  name: '张三丰',
  idNumber: '11010519491231002X',
  company: '上海公交卡有限公司',
  issueDate: '20250101',
  expiryDate: '20301231',
};

describe('cardholder file', () => {
  it('round-trips, including UTF-8 names and trailing EF space', () => {
    const encoded = encodeCardholderFile(sample);
    expect(decodeCardholderFile(encoded)).toEqual(sample);
    expect(decodeCardholderFile(Buffer.concat([encoded, Buffer.alloc(100)]))).toEqual(sample);
  });

  it('stores dates as BCD and the name as UTF-8 under DF03', () => {
    const hex = encodeCardholderFile(sample).toString('hex').toUpperCase();
    expect(hex.startsWith('70')).toBe(true);
    expect(hex).toContain('DF060420250101');
    expect(hex).toContain('DF070420301231');
    expect(hex).toContain(`DF0309${Buffer.from('张三丰').toString('hex').toUpperCase()}`);
  });

  it('validates without encoding for callers that only check input', () => {
    expect(() => validateCardholder(sample)).not.toThrow();
    expect(() => validateCardholder({ ...sample, cardNo: '' })).toThrow(PersonalisationInputError);
  });

  it('allows an empty company', () => {
    expect(decodeCardholderFile(encodeCardholderFile({ ...sample, company: '' })).company).toBe('');
  });

  it.each([
    ['bad issue date', { issueDate: '20250230' }, /issueDate/],
    ['non-numeric date', { expiryDate: '2030-12-31' }, /expiryDate/],
    ['expiry before issue', { expiryDate: '20241231' }, /before/],
    ['empty name', { name: '' }, /name is empty/],
    ['long name', { name: '名'.repeat(33) }, /max 96/],
    ['bad card number', { cardNo: '31 00' }, /cardNo/],
    ['bad id number', { idNumber: '' }, /idNumber/],
  ])('rejects %s', (_n, patch, msg) => {
    expect(() => encodeCardholderFile({ ...sample, ...patch })).toThrow(PersonalisationInputError);
    expect(() => encodeCardholderFile({ ...sample, ...patch })).toThrow(msg);
  });

  it('rejects malformed files', () => {
    expect(() => decodeCardholderFile(Buffer.from('6F00', 'hex'))).toThrow(/expected 70/);
    expect(() => decodeCardholderFile(Buffer.from('7005DF0101', 'hex'))).toThrow(TlvFormatError);
    const noName = encodeTlv({ tag: 0x70, children: [{ tag: 0xdf01, value: Buffer.from([1]) }] });
    expect(() => decodeCardholderFile(noName)).toThrow(/DF02/);
    const badUtf8 = encodeTlv({
      tag: 0x70,
      children: [
        { tag: 0xdf01, value: Buffer.from([1]) },
        { tag: 0xdf02, value: Buffer.from([0xff, 0xfe]) },
      ],
    });
    expect(() => decodeCardholderFile(badUtf8)).toThrow(/UTF-8/);
    const v2 = encodeTlv({ tag: 0x70, children: [{ tag: 0xdf01, value: Buffer.from([2]) }] });
    expect(() => decodeCardholderFile(v2)).toThrow(/version/);
  });

  it('validates calendar dates', () => {
    expect(isValidDate('20240229')).toBe(true);
    expect(isValidDate('20230229')).toBe(false);
    expect(isValidDate('2024013')).toBe(false);
  });
});
