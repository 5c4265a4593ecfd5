import { jpegOf, pngOf } from '../../test/support/images';
import { readImage } from './image-format';
import { ShapePhotoReview } from './photo-review';

const photo = (bytes: Buffer) => ({ bytes, image: readImage(bytes)! });

describe('ShapePhotoReview', () => {
  const review = new ShapePhotoReview();
  const original = photo(jpegOf(358, 441));

  it('accepts a portrait photo of about the same shape, in either format', async () => {
    expect(await review.review(original, photo(jpegOf(716, 882)))).toEqual({ accepted: true });
    expect(await review.review(original, photo(pngOf(300, 400)))).toEqual({ accepted: true });
  });

  it('refuses a landscape picture and a thumbnail', async () => {
    expect(await review.review(original, photo(jpegOf(441, 358)))).toEqual({ accepted: false, reason: 'not shaped like the original photo' });
    expect(await review.review(original, photo(jpegOf(40, 50)))).toEqual({ accepted: false, reason: 'smaller than 64 pixels on a side' });
  });
});
