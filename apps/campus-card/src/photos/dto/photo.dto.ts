import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { FormBool, OptionalCardNo, RequiredCardNo, RequiredPattern, RequiredString, USER_CODE } from '../../common/validators';

/** Longest base64 text accepted (PHOTO_MAX_BYTES is checked on the decoded bytes). */
export const MAX_PHOTO_TEXT = 24 * 1024 * 1024;

/** GET /v1/me/card/photo (获取校园卡照片): userCode, else cardNo. */
export class PhotoQuery {
  @ValidateIf((q: PhotoQuery) => q.userCode !== undefined || q.cardNo === undefined)
  @RequiredPattern(USER_CODE, '1-64 of A-Z a-z 0-9 _ . - (userCode or cardNo is required)')
  userCode?: string;

  @OptionalCardNo()
  cardNo?: string;

  @FormBool(false)
  urlOnly?: boolean;
}

/** POST /v1/me/card/photo (更新校园卡照片). */
export class UpdatePhotoDto {
  @RequiredCardNo()
  cardNo: string;

  /** base64 */
  @RequiredString(MAX_PHOTO_TEXT)
  photo: string;
}

/** PUT /admin/users/{userCode}/photo: the original photo, on file before any update. */
export class AdminPhotoDto {
  @RequiredString(MAX_PHOTO_TEXT)
  photo: string;

  /** Checked against the image itself when given. */
  @IsOptional() @IsIn(['jpg', 'png'], { message: 'format must be jpg or png' })
  format?: 'jpg' | 'png';
}
