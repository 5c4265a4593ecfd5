import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { parseGuids } from '../common/fields';
import { WageAttendanceConfig } from '../config';
import { AuthorisationErrorCode as Code } from './authorisation.errors';
import { AuthorizeDto } from './dto/authorisation.dto';
import { parsePermissionTime, PermissionPeriod } from './pass-times';
import { lockSyncClock, NEXT_VERSION } from './sync-clock';

/**
 * The platform's authorisation calls. Each queues work for one terminal: the change is stamped
 * with a new sync version, the terminal fetches it (/terminal/sync) and acknowledges it
 * (/terminal/ack), and the acknowledgement becomes the addPerson / deletePerson callback.
 */
@Injectable()
export class AuthorisationsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: WageAttendanceConfig,
  ) {}

  /**
   * 批量授权人员到设备. Every guid must be a registered person and the device must exist and not
   * be deleted, else nothing changes. A person already authorised there with the same settings
   * is left as is (a retried call queues nothing new); changed settings are sent again.
   */
  async authorize(dto: AuthorizeDto): Promise<void> {
    const period = this.period(dto.permissionTime);
    const guids = parseGuids(dto.guids);
    await this.db.transaction(async (m) => {
      await lockSyncClock(m);
      await this.liveDevice(m, dto.deviceKey);
      await this.livePersons(m, guids);
      await m.query(
        `INSERT INTO authorisation (device_key, person_guid, action, permission, pass_times, valid_from, valid_until, version)
         SELECT $1, g, 'add', $3, $4, $5, $6, ${NEXT_VERSION} FROM unnest($2::text[]) WITH ORDINALITY AS t(g, n) ORDER BY n
         ON CONFLICT (device_key, person_guid) DO UPDATE
            SET action = 'add', permission = EXCLUDED.permission, pass_times = EXCLUDED.pass_times, valid_from = EXCLUDED.valid_from,
                valid_until = EXCLUDED.valid_until, version = EXCLUDED.version, confirmed = false, confirmed_at = NULL, changed_at = now()
          WHERE (authorisation.action, authorisation.permission, authorisation.pass_times, authorisation.valid_from, authorisation.valid_until)
                IS DISTINCT FROM ('add', EXCLUDED.permission, EXCLUDED.pass_times, EXCLUDED.valid_from, EXCLUDED.valid_until)`,
        [dto.deviceKey, guids, dto.permission, dto.passTimes ?? '', period.from, period.until],
      );
    });
  }

  /**
   * 人员销权. Every guid must be authorised on the device (revoked already counts), else nothing
   * changes; the terminal is told to drop the others.
   */
  async revoke(deviceKey: string, guidList: string): Promise<void> {
    const guids = parseGuids(guidList);
    await this.db.transaction(async (m) => {
      await lockSyncClock(m);
      await this.liveDevice(m, deviceKey);
      const rows: Array<{ person_guid: string }> = await m.query(
        `SELECT person_guid FROM authorisation WHERE device_key = $1 AND person_guid = ANY($2::text[]) FOR UPDATE`,
        [deviceKey, guids],
      );
      const held = new Set(rows.map((r) => r.person_guid));
      const missing = guids.find((g) => !held.has(g));
      if (missing) throw new AppError(ErrorKind.NOT_FOUND, Code.NOT_AUTHORISED, `guids: person ${missing} is not authorised on device ${deviceKey}`, 'guids');
      await m.query(
        `UPDATE authorisation SET action = 'delete', confirmed = false, confirmed_at = NULL, version = ${NEXT_VERSION}, changed_at = now()
          WHERE device_key = $1 AND person_guid = ANY($2::text[]) AND action = 'add'`,
        [deviceKey, guids],
      );
    });
  }

  private period(text: string | undefined): PermissionPeriod {
    if (text === undefined || text === '') return { from: null, until: null };
    const parsed = parsePermissionTime(text, this.config.WIRE_TIME_ZONE);
    if (!parsed.ok) throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', `permissionTime ${parsed.problem}`, 'permissionTime');
    return parsed.period;
  }

  private async liveDevice(m: EntityManager, deviceKey: string): Promise<void> {
    const [device]: Array<{ state: number }> = await m.query(`SELECT state FROM device WHERE device_key = $1 FOR SHARE`, [deviceKey]);
    if (!device) throw new AppError(ErrorKind.NOT_FOUND, Code.DEVICE_NOT_FOUND, `deviceKey: no device ${deviceKey}`, 'deviceKey');
    if (Number(device.state) === 3) throw new AppError(ErrorKind.CONFLICT, Code.DEVICE_DELETED, `deviceKey: device ${deviceKey} is deleted`, 'deviceKey');
  }

  private async livePersons(m: EntityManager, guids: string[]): Promise<void> {
    const rows: Array<{ guid: string }> = await m.query(`SELECT guid FROM person WHERE guid = ANY($1::text[]) AND deleted_at IS NULL FOR SHARE`, [guids]);
    const known = new Set(rows.map((r) => r.guid));
    const missing = guids.find((g) => !known.has(g));
    if (missing) throw new AppError(ErrorKind.NOT_FOUND, Code.PERSON_NOT_FOUND, `guids: no person ${missing}`, 'guids');
  }
}
