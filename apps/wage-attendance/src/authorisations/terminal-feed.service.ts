import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { formatWireTime } from '@onecard/platform';
import { addPersonForm, deletePersonForm } from '../callbacks/callback-forms';
import { CallbackQueue } from '../callbacks/callback-queue';
import { WageAttendanceConfig } from '../config';
import { DevicesService } from '../devices/devices.service';
import { AuthorisationErrorCode as Code } from './authorisation.errors';
import { AckDto } from './dto/terminal-sync.dto';

interface FeedRow {
  person_guid: string;
  action: 'add' | 'delete';
  permission: number;
  pass_times: string;
  valid_from: Date | null;
  valid_until: Date | null;
  version: string;
  name: string;
  card_no: string;
  face_guid: string | null;
  card_blocked: boolean;
}

export interface SyncItem {
  personGuid: string;
  action: 'add' | 'delete';
  version: string;
  name?: string;
  cardNo?: string;
  /** The card was reported lost, frozen or replaced: do not accept it. */
  cardBlocked?: boolean;
  permission?: number;
  passTimes?: string;
  permissionTime?: string;
  faceGuid?: string;
  /** GET it (signed) for the photo's bytes. */
  photoPath?: string;
}

/** What terminals fetch (/terminal/sync), confirm (/terminal/ack) and download (photos). */
@Injectable()
export class TerminalFeedService {
  constructor(
    private readonly db: DataSource,
    private readonly callbacks: CallbackQueue,
    private readonly devices: DevicesService,
    private readonly config: WageAttendanceConfig,
  ) {}

  /**
   * The changes for this terminal after `cursor`, oldest first, at most SYNC_PAGE_SIZE, and the
   * cursor to send next time (`more`: call again at once). From cursor 0 the removals it already
   * confirmed are left out: a terminal starting afresh gets what it must hold.
   */
  async sync(deviceKey: string, cursor: string): Promise<{ cursor: string; more: boolean; items: SyncItem[] }> {
    await this.devices.touch(deviceKey);
    const limit = this.config.SYNC_PAGE_SIZE;
    const rows: FeedRow[] = await this.db.query(
      `SELECT a.person_guid, a.action, a.permission, a.pass_times, a.valid_from, a.valid_until, a.version::text, p.name, p.card_no, p.face_guid,
              coalesce(b.blocked, false) AS card_blocked
         FROM authorisation a JOIN person p ON p.guid = a.person_guid LEFT JOIN card_block b ON b.card_key = p.card_key
        WHERE a.device_key = $1 AND a.version > $2::bigint AND NOT ($2::bigint = 0 AND a.action = 'delete' AND a.confirmed)
        ORDER BY a.version LIMIT $3`,
      [deviceKey, cursor, limit + 1],
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { cursor: page.length > 0 ? page[page.length - 1].version : cursor, more, items: page.map((r) => this.item(r)) };
  }

  /**
   * A terminal confirms a change it applied. The first confirmation of the current change queues
   * the addPerson / deletePerson callback; confirming it again changes nothing. A confirmation of
   * a change that is no longer the latest (revoked since, a new photo since) is refused: sync again.
   */
  async ack(deviceKey: string, dto: AckDto): Promise<{ callback: boolean }> {
    const face = dto.faceGuid ?? '';
    const queued = await this.db.transaction(async (m) => {
      const [row]: Array<{ action: string; confirmed: boolean; confirmed_face_guid: string | null; face_guid: string | null }> = await m.query(
        `SELECT a.action, a.confirmed, a.confirmed_face_guid, p.face_guid FROM authorisation a JOIN person p ON p.guid = a.person_guid
          WHERE a.device_key = $1 AND a.person_guid = $2 FOR UPDATE OF a`,
        [deviceKey, dto.personGuid],
      );
      if (!row) throw new AppError(ErrorKind.NOT_FOUND, Code.NOT_AUTHORISED, `personGuid: person ${dto.personGuid} has nothing on this terminal`, 'personGuid');
      if (row.action !== dto.action) {
        throw new AppError(ErrorKind.CONFLICT, Code.ACK_OUT_OF_DATE, `action: the latest change for person ${dto.personGuid} here is ${row.action}; sync again`, 'action');
      }
      if (dto.action === 'add' && face !== (row.face_guid ?? '')) {
        throw new AppError(ErrorKind.CONFLICT, Code.ACK_OUT_OF_DATE, `faceGuid: not the person's current photo; sync again`, 'faceGuid');
      }
      if (row.confirmed && (dto.action === 'delete' || row.confirmed_face_guid === face)) return false;
      // An UPDATE answers [rows, count].
      const [[{ at }]]: [Array<{ at: Date }>, number] = await m.query(
        `UPDATE authorisation SET confirmed = true, confirmed_face_guid = $3, confirmed_at = now() WHERE device_key = $1 AND person_guid = $2 RETURNING confirmed_at AS at`,
        [deviceKey, dto.personGuid, dto.action === 'add' ? face : null],
      );
      const zone = this.config.WIRE_TIME_ZONE;
      const form = dto.action === 'add' ? addPersonForm(deviceKey, new Date(at), dto.personGuid, face, zone) : deletePersonForm(deviceKey, new Date(at), dto.personGuid, zone);
      await this.callbacks.add(m, [{ deviceKey, kind: dto.action === 'add' ? 'addPerson' : 'deletePerson', form }]);
      return true;
    });
    await this.devices.touch(deviceKey);
    return { callback: queued };
  }

  /** A photo of a person authorised on this terminal. */
  async photo(deviceKey: string, faceGuid: string): Promise<{ contentType: string; bytes: Buffer }> {
    const [row]: Array<{ content_type: string; bytes: Buffer }> = await this.db.query(
      `SELECT ph.content_type, ph.bytes FROM person_photo ph JOIN authorisation a ON a.person_guid = ph.person_guid AND a.device_key = $2 WHERE ph.face_guid = $1`,
      [faceGuid, deviceKey],
    );
    if (!row) throw new AppError(ErrorKind.NOT_FOUND, Code.PHOTO_NOT_FOUND, `faceGuid: no photo ${faceGuid} for this terminal`, 'faceGuid');
    return { contentType: row.content_type, bytes: row.bytes };
  }

  private item(r: FeedRow): SyncItem {
    if (r.action === 'delete') return { personGuid: r.person_guid, action: 'delete', version: r.version };
    const zone = this.config.WIRE_TIME_ZONE;
    const time = (d: Date | null) => (d ? formatWireTime(new Date(d), 'yyyy-MM-dd HH:mm:ss', zone) : '');
    const item: SyncItem = {
      personGuid: r.person_guid,
      action: 'add',
      version: r.version,
      name: r.name,
      cardNo: r.card_no,
      cardBlocked: r.card_blocked,
      permission: Number(r.permission),
      passTimes: r.pass_times,
      permissionTime: r.valid_from || r.valid_until ? `${time(r.valid_from)},${time(r.valid_until)}` : '',
      faceGuid: r.face_guid ?? '',
    };
    if (r.face_guid) item.photoPath = `/terminal/photo/${r.face_guid}`;
    return item;
  }
}
