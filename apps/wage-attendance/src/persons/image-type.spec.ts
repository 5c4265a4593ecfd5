import { imageTypeOf } from './image-type';

describe('photo type from its bytes', () => {
  it('knows JPEG (FF D8 FF) and PNG (its 8-byte signature)', () => {
    expect(imageTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]))).toBe('image/jpeg');
    expect(imageTypeOf(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBe('image/png');
  });

  it('refuses anything else: GIF, HTML, text, a truncated signature, nothing', () => {
    expect(imageTypeOf(Buffer.from('GIF89a......'))).toBeUndefined();
    expect(imageTypeOf(Buffer.from('<html><body>not found</body></html>'))).toBeUndefined();
    expect(imageTypeOf(Buffer.from([0xff, 0xd8]))).toBeUndefined();
    expect(imageTypeOf(Buffer.from('89504e470d0a1a0a', 'hex'))).toBeUndefined();
    expect(imageTypeOf(Buffer.alloc(0))).toBeUndefined();
  });
});
