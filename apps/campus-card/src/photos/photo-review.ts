import { Injectable } from '@nestjs/common';
import type { ImageInfo } from './image-format';

export interface PhotoUnderReview {
  bytes: Buffer;
  image: ImageInfo;
}

export type ReviewVerdict = { accepted: true } | { accepted: false; reason: string };

/**
 * The comparison step a new photo must pass against the original (对比审核校验). A deployment
 * with a face-comparison service provides its own implementation under this token
 * (photos.module.ts); the answer `accepted: false` is errno 422 "照片审核未通过".
 */
export interface PhotoReview {
  review(original: PhotoUnderReview, candidate: PhotoUnderReview): Promise<ReviewVerdict>;
}

export const PHOTO_REVIEW = Symbol('PHOTO_REVIEW');

/** Smallest side of an acceptable card photo, pixels. */
export const MIN_PHOTO_SIDE = 64;
/** How far the new photo's aspect ratio may stray from the original's. */
export const MAX_ASPECT_DRIFT = 0.15;

/**
 * The default review, for deployments without a face-comparison service: the new photo must be
 * an image at least MIN_PHOTO_SIDE on each side, shaped like the original (aspect ratio within
 * MAX_ASPECT_DRIFT), so an ID photo is replaced by an ID photo and not by a landscape or a thumbnail.
 */
@Injectable()
export class ShapePhotoReview implements PhotoReview {
  async review(original: PhotoUnderReview, candidate: PhotoUnderReview): Promise<ReviewVerdict> {
    const { width, height } = candidate.image;
    if (width < MIN_PHOTO_SIDE || height < MIN_PHOTO_SIDE) return { accepted: false, reason: `smaller than ${MIN_PHOTO_SIDE} pixels on a side` };
    const was = original.image.width / original.image.height;
    const is = width / height;
    if (Math.abs(is - was) / was > MAX_ASPECT_DRIFT) return { accepted: false, reason: 'not shaped like the original photo' };
    return { accepted: true };
  }
}
