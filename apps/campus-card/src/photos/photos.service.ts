import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind, InvalidInputError } from '@onecard/kernel';
import { ownCard } from '../cards/card-account';
import { CampusCardConfig } from '../config';
import { UsersService } from '../users/users.service';
import type { CardApiResult } from '../wire/card-api-envelope';
import { AdminPhotoDto, PhotoQuery, UpdatePhotoDto } from './dto/photo.dto';
import { decodePhoto, ImageInfo, readImage } from './image-format';
import { PhotoLinks } from './photo-links';
import { PHOTO_REVIEW, PhotoReview } from './photo-review';
import { PhotoErrorCode } from './photo.errors';

interface PhotoRow {
  user_code: string;
  format: 'jpg' | 'png';
  photo: Buffer;
  version: number;
}

/** Cardholders' photos: one per person, shown on every card of theirs. */
@Injectable()
export class PhotosService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly links: PhotoLinks,
    private readonly config: CampusCardConfig,
    @Inject(PHOTO_REVIEW) private readonly reviewer: PhotoReview,
  ) {}

  /**
   * 获取校园卡照片. userCode, when given, must be the token's own (and then cardNo is ignored and
   * not echoed); otherwise cardNo names one of the token user's cards.
   */
  async get(userCode: string, query: PhotoQuery, baseUrl: string): Promise<CardApiResult> {
    let cardNo: string | undefined;
    if (query.userCode !== undefined) {
      if (query.userCode !== userCode) throw new AppError(ErrorKind.FORBIDDEN, PhotoErrorCode.NOT_OWN_USER, "userCode: not the token's user", 'userCode');
    } else {
      cardNo = (await ownCard(this.db, userCode, query.cardNo)).card_no;
    }
    const [row]: PhotoRow[] = await this.db.query(`SELECT user_code, format, photo, version FROM user_photo WHERE user_code = $1`, [userCode]);
    if (!row) throw new AppError(ErrorKind.NOT_FOUND, PhotoErrorCode.PHOTO_NOT_FOUND, `${cardNo ? 'cardNo' : 'userCode'}: no photo on file`, cardNo ? 'cardNo' : 'userCode');
    const entity: Record<string, unknown> = {};
    if (cardNo) entity.cardNo = cardNo;
    entity.userId = userCode;
    entity.url = this.links.url(baseUrl, userCode, row.version, row.format);
    if (!query.urlOnly) {
      entity.format = row.format;
      entity.photo = row.photo.toString('base64');
    }
    return { total: 1, entities: [entity] };
  }

  /**
   * 更新校园卡照片: only over an original, and only if the review accepts the new one; the
   * document's texts for both refusals. A concurrent update of the same photo loses (version check).
   */
  async update(userCode: string, dto: UpdatePhotoDto): Promise<CardApiResult> {
    await ownCard(this.db, userCode, dto.cardNo);
    const [original]: PhotoRow[] = await this.db.query(`SELECT user_code, format, photo, version FROM user_photo WHERE user_code = $1`, [userCode]);
    if (!original) throw new AppError(ErrorKind.UNPROCESSABLE, PhotoErrorCode.ORIGINAL_MISSING, '原照片缺失,无法更新', 'photo');
    const candidate = this.image(dto.photo);
    const originalImage = readImage(original.photo) as ImageInfo;
    const verdict = await this.reviewer.review({ bytes: original.photo, image: originalImage }, candidate);
    if (!verdict.accepted) throw new AppError(ErrorKind.UNPROCESSABLE, PhotoErrorCode.REVIEW_FAILED, '照片审核未通过', 'photo');
    const [, count] = await this.db.query(
      `UPDATE user_photo SET photo = $3, format = $4, version = version + 1, updated_at = now() WHERE user_code = $1 AND version = $2`,
      [userCode, original.version, candidate.bytes, candidate.image.format],
    );
    if (count === 0) throw new AppError(ErrorKind.CONFLICT, PhotoErrorCode.UPDATED_MEANWHILE, 'photo: changed by another request meanwhile; send it again', 'photo');
    return {};
  }

  /** Operators put the original on file (or replace it without review). */
  async putOriginal(userCode: string, dto: AdminPhotoDto): Promise<object> {
    await this.users.get(userCode);
    const photo = this.image(dto.photo);
    if (dto.format && dto.format !== photo.image.format) throw new InvalidInputError('format', `format: the image is ${photo.image.format}, not ${dto.format}`);
    await this.db.query(
      `INSERT INTO user_photo (user_code, format, photo) VALUES ($1, $2, $3)
       ON CONFLICT (user_code) DO UPDATE SET format = EXCLUDED.format, photo = EXCLUDED.photo, version = user_photo.version + 1, updated_at = now()`,
      [userCode, photo.image.format, photo.bytes],
    );
    return { userCode, format: photo.image.format, width: photo.image.width, height: photo.image.height, bytes: photo.bytes.length };
  }

  /** The file behind a download link (the link is checked by the caller). */
  async file(userCode: string, version: number): Promise<PhotoRow | undefined> {
    const [row]: PhotoRow[] = await this.db.query(`SELECT user_code, format, photo, version FROM user_photo WHERE user_code = $1 AND version = $2`, [userCode, version]);
    return row;
  }

  private image(text: string): { bytes: Buffer; image: ImageInfo } {
    const bytes = decodePhoto(text);
    if (!bytes) throw new InvalidInputError('photo', 'photo: must be base64');
    if (bytes.length > this.config.PHOTO_MAX_BYTES) throw new InvalidInputError('photo', `photo: larger than ${this.config.PHOTO_MAX_BYTES} bytes`);
    const image = readImage(bytes);
    if (!image) throw new InvalidInputError('photo', 'photo: not a JPEG or PNG image');
    return { bytes, image };
  }
}
