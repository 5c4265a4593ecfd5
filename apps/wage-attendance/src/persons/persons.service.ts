import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { lockSyncClock, NEXT_VERSION } from '../authorisations/sync-clock';
import { parseGuids } from '../common/fields';
import { cardKey } from '../common/resident-id';
import { isUniqueViolation } from '../common/sql-errors';
import { CreatePersonDto } from './dto/person.dto';
import { imageTypeOf } from './image-type';
import { PersonErrorCode } from './person.errors';
import { PhotoSource, PhotoUnavailable } from './photo-source';

/** 20 hex digits: the callbacks' personGuid and faceGuid hold at most 20 characters. */
export const newGuid = (): string => randomBytes(10).toString('hex').toUpperCase();

/** The platform's person calls: register, delete in batch, register a photo by URL. */
@Injectable()
export class PersonsService {
  constructor(
    private readonly db: DataSource,
    private readonly photos: PhotoSource,
  ) {}

  /**
   * 注册人员到平台: answers the new person's guid. A card already registered to a person is
   * refused naming that person, unless everything sent is the same (a retried call): then that
   * person's guid is answered again.
   */
  async create(dto: CreatePersonDto): Promise<{ guid: string }> {
    const key = cardKey(dto.cardNo);
    const tag = dto.Tag ?? dto.tag ?? '';
    const phone = dto.phone ?? null;
    const same = async () => {
      const [row]: Array<{ guid: string; card_no: string; name: string; phone: string | null; tag: string }> = await this.db.query(
        `SELECT guid, card_no, name, phone, tag FROM person WHERE card_key = $1 AND deleted_at IS NULL`,
        [key],
      );
      if (!row) return undefined;
      if (row.card_no === dto.cardNo && row.name === dto.name && row.phone === phone && row.tag === tag) return { guid: row.guid };
      throw new AppError(ErrorKind.CONFLICT, PersonErrorCode.CARD_REGISTERED, `cardNo: already registered to person ${row.guid}`, 'cardNo');
    };
    const existing = await same();
    if (existing) return existing;
    const guid = newGuid();
    try {
      await this.db.query(`INSERT INTO person (guid, card_no, card_key, name, phone, tag) VALUES ($1, $2, $3, $4, $5, $6)`, [guid, dto.cardNo, key, dto.name, phone, tag]);
    } catch (error) {
      // The same card registered at the same moment by another call.
      if (isUniqueViolation(error)) return (await same()) ?? { guid };
      throw error;
    }
    return { guid };
  }

  /**
   * 批量删除平台人员: every guid must be a person (one that is not refuses the call, changing
   * nothing); each terminal holding one of them is told to drop them. Deleting again is harmless.
   */
  async batchDelete(guidList: string): Promise<void> {
    const guids = parseGuids(guidList);
    await this.db.transaction(async (m) => {
      await lockSyncClock(m);
      const rows: Array<{ guid: string; deleted: boolean }> = await m.query(
        `SELECT guid, deleted_at IS NOT NULL AS deleted FROM person WHERE guid = ANY($1::text[]) FOR UPDATE`,
        [guids],
      );
      const known = new Set(rows.map((r) => r.guid));
      const missing = guids.find((g) => !known.has(g));
      if (missing) throw this.notFound(missing, 'guids');
      const live = rows.filter((r) => !r.deleted).map((r) => r.guid);
      if (live.length === 0) return;
      await m.query(`UPDATE person SET deleted_at = now(), updated_at = now() WHERE guid = ANY($1::text[])`, [live]);
      await m.query(
        `UPDATE authorisation SET action = 'delete', confirmed = false, version = ${NEXT_VERSION}, changed_at = now()
          WHERE person_guid = ANY($1::text[]) AND action = 'add'`,
        [live],
      );
    });
  }

  /**
   * 给平台已有人员注册照片: fetched from the URL (time and size bounded), taken only as JPEG or
   * PNG judged from its bytes, stored, and sent to every terminal holding the person (each
   * confirms it again: a new addPerson callback with the new faceGuid). A URL that gives no such
   * photo is refused with the reason, nothing changed. The same photo again changes nothing.
   */
  async registerPhoto(guid: string, url: string): Promise<{ faceGuid: string }> {
    await this.livePerson(guid);
    let bytes: Buffer;
    try {
      bytes = await this.photos.fetch(url);
    } catch (error) {
      if (error instanceof PhotoUnavailable) throw this.unavailable(error.message);
      throw error;
    }
    const type = imageTypeOf(bytes);
    if (!type) throw this.unavailable('it is not a JPEG or PNG image');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.db.transaction(async (m) => {
      await lockSyncClock(m);
      const [person]: Array<{ face_guid: string | null; sha256: string | null; deleted: boolean }> = await m.query(
        `SELECT p.face_guid, ph.sha256, p.deleted_at IS NOT NULL AS deleted FROM person p LEFT JOIN person_photo ph ON ph.face_guid = p.face_guid WHERE p.guid = $1 FOR UPDATE OF p`,
        [guid],
      );
      if (!person || person.deleted) throw this.notFound(guid, 'guid');
      if (person.face_guid && person.sha256 === sha256) return { faceGuid: person.face_guid };
      const faceGuid = newGuid();
      await m.query(`INSERT INTO person_photo (face_guid, person_guid, content_type, bytes, sha256, source_url) VALUES ($1, $2, $3, $4, $5, $6)`, [
        faceGuid, guid, type, bytes, sha256, url,
      ]);
      await m.query(`UPDATE person SET face_guid = $2, updated_at = now() WHERE guid = $1`, [guid, faceGuid]);
      await m.query(`UPDATE authorisation SET confirmed = false, version = ${NEXT_VERSION}, changed_at = now() WHERE person_guid = $1 AND action = 'add'`, [guid]);
      return { faceGuid };
    });
  }

  private async livePerson(guid: string): Promise<void> {
    const [row] = await this.db.query(`SELECT 1 FROM person WHERE guid = $1 AND deleted_at IS NULL`, [guid]);
    if (!row) throw this.notFound(guid, 'guid');
  }

  private notFound(guid: string, field: string): AppError {
    return new AppError(ErrorKind.NOT_FOUND, PersonErrorCode.PERSON_NOT_FOUND, `${field}: no person ${guid}`, field);
  }

  private unavailable(reason: string): AppError {
    return new AppError(ErrorKind.UNPROCESSABLE, PersonErrorCode.PHOTO_UNAVAILABLE, `photo: no usable photo at that URL (${reason})`, 'photo');
  }
}
