import { ApduFormatError } from '../errors';
import { CommandApdu } from './command-apdu';

describe('CommandApdu', () => {
  it('encodes case 1', () => {
    const c = new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x00, p2: 0x00 });
    expect(c.case).toBe(1);
    expect(c.toHex()).toBe('00A40000');
  });

  it('encodes case 2 short, with Ne=256 as 00', () => {
    expect(new CommandApdu({ cla: 0, ins: 0x84, p1: 0, p2: 0, le: 8 }).toHex()).toBe('0084000008');
    expect(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }).toHex()).toBe('00B0000000');
  });

  it('encodes case 3 and 4 short', () => {
    const c3 = new CommandApdu({ cla: 0, ins: 0xa4, p1: 0, p2: 0, data: Buffer.from([0x3f, 0x00]) });
    expect(c3.case).toBe(3);
    expect(c3.toHex()).toBe('00A40000023F00');
    const c4 = new CommandApdu({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: Buffer.from([0xa0, 0x00]), le: 256 });
    expect(c4.case).toBe(4);
    expect(c4.toHex()).toBe('00A4040002A00000');
  });

  it('switches to extended length when data > 255 or Ne > 256', () => {
    const data = Buffer.alloc(300, 0xaa);
    const c3 = new CommandApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data });
    expect(c3.extended).toBe(true);
    expect(c3.toHex().slice(0, 14)).toBe('00D6000000012C');
    expect(c3.toBuffer().length).toBe(7 + 300);
    const c2 = new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 });
    expect(c2.toHex()).toBe('00B00000000000');
    const c4 = new CommandApdu({ cla: 0, ins: 0x2a, p1: 0x9e, p2: 0x9a, data: Buffer.from([1, 2]), le: 512 });
    expect(c4.toHex()).toBe('002A9E9A00000201020200');
  });

  it('honours an explicit extended flag', () => {
    expect(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 16, extended: true }).toHex()).toBe('00B00000000010');
  });

  it.each([
    '00A40000',
    '0084000008',
    '00B0000000',
    '00A40000023F00',
    '00A4040002A00000',
    '00B00000000010',
    '00D60000000003AABBCC',
    '002A9E9A00000201020200',
  ])('round-trips %s', (hex) => {
    expect(CommandApdu.parse(hex).toHex()).toBe(hex);
  });

  it('parses fields and Le semantics', () => {
    const c = CommandApdu.parse('00a4040002a00000');
    expect([c.cla, c.ins, c.p1, c.p2]).toEqual([0, 0xa4, 4, 0]);
    expect(c.data.toString('hex')).toBe('a000');
    expect(c.le).toBe(256);
    expect(CommandApdu.parse(Buffer.from('00B00000000000', 'hex')).le).toBe(65536);
  });

  it('rejects malformed APDUs', () => {
    expect(() => CommandApdu.parse('00A400')).toThrow(ApduFormatError);
    expect(() => CommandApdu.parse('00A40000053F00')).toThrow(/Lc=5/);
    expect(() => CommandApdu.parse('00D6000000000311')).toThrow(/extended/);
    expect(() => CommandApdu.parse('00D60000000000')).not.toThrow(); // case 2E with Ne=65536
    expect(() => CommandApdu.parse('00D600000000')).toThrow(ApduFormatError);
    expect(() => CommandApdu.parse('XYZ0')).toThrow(ApduFormatError);
  });

  it('validates header bytes and Le range', () => {
    expect(() => new CommandApdu({ cla: 256, ins: 0, p1: 0, p2: 0 })).toThrow(/CLA/);
    expect(() => new CommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 })).toThrow(/Le/);
  });

  it('copies with changes', () => {
    const c = CommandApdu.parse('00D6000002AABB').with({ cla: 0x04 });
    expect(c.toHex()).toBe('04D6000002AABB');
  });
});
