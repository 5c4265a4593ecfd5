import { decodePhoto, readImage } from './image-format';
import { jpegOf, pngOf } from '../../test/support/images';

describe('readImage', () => {
  it('reads a PNG header', () => {
    expect(readImage(pngOf(300, 400))).toEqual({ format: 'png', width: 300, height: 400 });
  });

  it('reads a JPEG frame header past other segments', () => {
    expect(readImage(jpegOf(358, 441))).toEqual({ format: 'jpg', width: 358, height: 441 });
  });

  it('refuses anything else, truncated images included', () => {
    expect(readImage(Buffer.from('GIF89a........'))).toBeUndefined();
    expect(readImage(jpegOf(10, 10).subarray(0, 12))).toBeUndefined();
    expect(readImage(pngOf(10, 10).subarray(0, 20))).toBeUndefined();
    expect(readImage(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('decodePhoto', () => {
  const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x10]);

  it('takes standard and URL-safe base64, line breaks and a data: prefix', () => {
    const b64 = bytes.toString('base64');
    expect(decodePhoto(b64)).toEqual(bytes);
    expect(decodePhoto(bytes.toString('base64url'))).toEqual(bytes);
    expect(decodePhoto(`data:image/jpeg;base64,${b64.slice(0, 4)}\r\n${b64.slice(4)}`)).toEqual(bytes);
  });

  it('reads a space as the + a form body lost', () => {
    const b64 = bytes.toString('base64');
    expect(b64).toContain('+');
    expect(decodePhoto(b64.replace(/\+/g, ' '))).toEqual(bytes);
  });

  it('refuses what is not base64', () => {
    expect(decodePhoto('not base64!')).toBeUndefined();
    expect(decodePhoto('abcde')).toBeUndefined();
  });
});
