import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { adminPage, AdminPage, formatWireTime, newSecret } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { ChangeFeed } from '../core/change-feed';
import { TransitKeys } from '../core/keys';
import { offlineAfterSql } from '../presence/presence-window';
import { WhitelistService } from '../whitelist/whitelist.service';
import { normaliseTimeOfDay } from './check-window';
import { DeviceEntity } from './device.entity';
import { DeviceErrorCode } from './device-errors';
import { DeviceRegistry } from './device-registry';
import { IntervalSource, LineSettings } from './line-settings';
import { DeviceConfigDto, RegisterDeviceDto } from './dto/device-admin.dto';

/** What /admin shows of a device (never its secret). */
export interface DeviceView {
  device_id: string;
  enterprise_id: string;
  line_id: string;
  check_mode: number;
  check_card_mode: number;
  qrcode_mode: number;
  card_mode: number;
  white_mode: number;
  is_line_white: number;
  check_start_time: string | null;
  check_end_time: string | null;
  /** Seconds between heartbeats the device is told (report_interval), and where that comes from. */
  heartbeat_interval: number;
  heartbeat_interval_from: IntervalSource;
  /** Taken out of service by an operator (its calls answer 1109); since when, or null. */
  disabled: boolean;
  disabled_time: string | null;
  online?: boolean;
  last_seen_time?: string | null;
  lng?: number | null;
  lat?: number | null;
  speed?: number | null;
  course?: number | null;
  software_ver?: number | null;
  /** Telemetry of the last heartbeat as sent, when the number alone does not say it (another notation, out of range, not a number). */
  lng_raw?: string | null;
  lat_raw?: string | null;
  speed_raw?: string | null;
  course_raw?: string | null;
  software_ver_raw?: string | null;
  /** Whitelist versions the device reported holding in its last heartbeat ("" when none; null before any heartbeat). */
  version_code_all?: string | null;
  version_code_add?: string | null;
  line_version_code_all?: string | null;
}

/** `GET /admin/devices` filters and page. */
export interface DeviceFilter {
  lineId?: string;
  enterpriseId?: string;
  online?: boolean;
  disabled?: boolean;
  limit: number;
  offset: number;
}

/**
 * Online: a heartbeat within TRANSIT_OFFLINE_AFTER_HEARTBEATS of the intervals the device is told
 * (its own, its line's, the default: $1), at least TRANSIT_OFFLINE_MIN_S: the rule device.status-changed
 * publishes its changes by. Null (never heard from) is offline.
 */
const onlineSql = (config: TransitValidationConfig) => `coalesce(s.last_seen_at > now() - make_interval(secs => ${offlineAfterSql(config, '$1')}), false)`;

/** Registration, secrets and remote configuration of validators (/admin/devices). */
@Injectable()
export class DevicesService {
  constructor(
    private readonly db: DataSource,
    private readonly keys: TransitKeys,
    private readonly feed: ChangeFeed,
    private readonly registry: DeviceRegistry,
    private readonly config: TransitValidationConfig,
    private readonly whitelist: WhitelistService,
    private readonly outbox: Outbox,
    private readonly lines: LineSettings,
  ) {}

  async register(dto: RegisterDeviceDto): Promise<{ secret: string }> {
    const secret = newSecret();
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO device (device_id, enterprise_id, line_id, secret_sealed) VALUES ($1, $2, $3, $4)
       ON CONFLICT (device_id) DO NOTHING RETURNING device_id`,
      [dto.device_id, dto.enterprise_id, dto.line_id, this.keys.secretBox.seal(secret)],
    );
    if (inserted.length === 0) {
      throw new AppError(ErrorKind.CONFLICT, DeviceErrorCode.DEVICE_EXISTS, `device_id: ${dto.device_id} is already registered (rotate its secret with POST /admin/devices/${dto.device_id}/secret)`, 'device_id');
    }
    return { secret };
  }

  /** A new secret; tokens issued under the old one stop working on every replica. */
  async rotateSecret(deviceId: string): Promise<{ secret: string }> {
    const secret = newSecret();
    await this.db.transaction(async (manager) => {
      // TypeORM answers an UPDATE with [rows, rowCount].
      const [rows]: [unknown[], number] = await manager.query(
        `UPDATE device SET secret_sealed = $2, token_gen = token_gen + 1, updated_at = now() WHERE device_id = $1 RETURNING device_id`,
        [deviceId, this.keys.secretBox.seal(secret)],
      );
      if (rows.length === 0) throw this.notFound(deviceId);
      await this.feed.notify(manager, 'device', deviceId);
    });
    this.registry.forget(deviceId);
    return { secret };
  }

  /**
   * Takes a device out of service: its tokens are refused from the moment this commits, on every
   * replica (the change feed drops each one's cached copy), and /get_token gives it none. Its
   * token generation moves on too, so tokens from before stay dead once it is enabled again.
   * Disabling a disabled device changes nothing and publishes nothing.
   */
  disable(deviceId: string): Promise<DeviceView> {
    return this.setDisabled(deviceId, true);
  }

  /** Puts a device back in service: it gets a new token from /get_token (its old ones stay revoked). */
  enable(deviceId: string): Promise<DeviceView> {
    return this.setDisabled(deviceId, false);
  }

  private async setDisabled(deviceId: string, disabled: boolean): Promise<DeviceView> {
    await this.db.transaction(async (manager) => {
      const [rows]: [Array<{ enterprise_id: string; line_id: string; updated_at: Date }>, number] = await manager.query(
        disabled
          ? `UPDATE device SET disabled_at = now(), token_gen = token_gen + 1, updated_at = now() WHERE device_id = $1 AND disabled_at IS NULL RETURNING enterprise_id, line_id, updated_at`
          : `UPDATE device SET disabled_at = NULL, updated_at = now() WHERE device_id = $1 AND disabled_at IS NOT NULL RETURNING enterprise_id, line_id, updated_at`,
        [deviceId],
      );
      if (rows.length === 0) return; // already so, or no such device (describe below tells which)
      await this.outbox.add(manager, Events.DeviceStatusChanged, {
        deviceId, enterpriseId: rows[0].enterprise_id, lineId: rows[0].line_id, status: disabled ? 'disabled' : 'enabled', at: rows[0].updated_at.toISOString(),
      });
      await this.feed.notify(manager, 'device', deviceId);
    });
    this.registry.forget(deviceId);
    return this.describe(deviceId);
  }

  async configure(deviceId: string, dto: DeviceConfigDto): Promise<DeviceView> {
    const view = await this.db.transaction(async (manager) => {
      const entity = await manager.findOne(DeviceEntity, { where: { deviceId }, lock: { mode: 'pessimistic_write' } });
      if (!entity) throw this.notFound(deviceId);
      const previousLine = entity.lineId;
      this.apply(entity, dto);
      await manager.save(entity);
      if (entity.lineId !== previousLine) await this.whitelist.reversionLine(manager, entity.lineId);
      await this.feed.notify(manager, 'device', deviceId);
      return this.view(entity);
    });
    this.registry.forget(deviceId);
    return view;
  }

  private apply(entity: DeviceEntity, dto: DeviceConfigDto): void {
    if (dto.check_mode !== undefined) entity.checkMode = dto.check_mode;
    if (dto.check_card_mode !== undefined) entity.checkCardMode = dto.check_card_mode;
    if (dto.qrcode_mode !== undefined) entity.qrcodeMode = dto.qrcode_mode;
    if (dto.card_mode !== undefined) entity.cardMode = dto.card_mode;
    if (dto.white_mode !== undefined) entity.whiteMode = dto.white_mode;
    if (dto.is_line_white !== undefined) entity.isLineWhite = dto.is_line_white;
    if (dto.heartbeat_interval !== undefined) entity.heartbeatInterval = dto.heartbeat_interval;
    if (dto.line_id !== undefined) entity.lineId = dto.line_id;
    if (dto.enterprise_id !== undefined) entity.enterpriseId = dto.enterprise_id;
    const windowFields = [
      ['check_start_time', 'check_start_time_format', 'checkStartTime'],
      ['check_end_time', 'check_end_time_format', 'checkEndTime'],
    ] as const;
    for (const [plain, heartbeatName, key] of windowFields) {
      if (plain in dto && heartbeatName in dto) {
        throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', `${heartbeatName}: give it or ${plain}, not both`, heartbeatName);
      }
      const field = heartbeatName in dto ? heartbeatName : plain;
      if (!(field in dto)) continue;
      // The heartbeat shows today's occurrence of the daily window: its date is not kept.
      const raw = field === heartbeatName ? dto[field]?.replace(/^\d{4}-\d{2}-\d{2} /, '') : dto[field];
      if (raw === null || raw === undefined) {
        entity[key] = null;
        continue;
      }
      const time = normaliseTimeOfDay(raw);
      if (!time) throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', `${field}: not a time of day (HH:mm or HH:mm:ss)`, field);
      entity[key] = time;
    }
    if ((entity.checkStartTime === null) !== (entity.checkEndTime === null)) {
      throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', 'check_start_time and check_end_time: set both (or clear both with null)', 'check_start_time');
    }
  }

  async describe(deviceId: string): Promise<DeviceView> {
    const [row] = await this.views(`WHERE d.device_id = $2`, [deviceId]);
    if (!row) throw this.notFound(deviceId);
    return row;
  }

  /** The fleet: devices in device_id order with their last position and online state; `total` counts all that match. */
  async list(filter: DeviceFilter): Promise<AdminPage<DeviceView>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => where.push(sql.replace('?', `$${params.push(value) + 1}`));
    if (filter.lineId) add('d.line_id = ?', filter.lineId);
    if (filter.enterpriseId) add('d.enterprise_id = ?', filter.enterpriseId);
    if (filter.online !== undefined) add(`(${onlineSql(this.config)}) = ?`, filter.online);
    if (filter.disabled !== undefined) add('(d.disabled_at IS NOT NULL) = ?', filter.disabled);
    const page = `LIMIT $${params.push(filter.limit) + 1} OFFSET $${params.push(filter.offset) + 1}`;
    const rows = await this.views(`${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.device_id ${page}`, params);
    if (rows.length > 0 || filter.offset === 0) return adminPage(filter, rows.length > 0 ? rows[0].total : 0, rows.map(({ total: _total, ...view }) => view));
    // A page past the end: still say how many there are ($1, the default interval, is always typed).
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM device d LEFT JOIN device_status s ON s.device_id = d.device_id LEFT JOIN line_setting l ON l.line_id = d.line_id
        WHERE ${['$1::int IS NOT NULL', ...where].join(' AND ')}`,
      [this.config.TRANSIT_REPORT_INTERVAL_S, ...params.slice(0, -2)],
    );
    return adminPage(filter, n, []);
  }

  /** `where` numbers its parameters from $2 ($1 is the default heartbeat interval). */
  private async views(where: string, params: unknown[]): Promise<Array<DeviceView & { total: number }>> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT d.*, s.last_seen_at, s.lng, s.lat, s.speed, s.course, s.software_ver, s.lng_raw, s.lat_raw, s.speed_raw, s.course_raw, s.software_ver_raw,
              s.version_code_all, s.version_code_add, s.line_version_code_all, (${onlineSql(this.config)}) AS online, count(*) OVER () AS total
         FROM device d LEFT JOIN device_status s ON s.device_id = d.device_id LEFT JOIN line_setting l ON l.line_id = d.line_id ${where}`,
      [this.config.TRANSIT_REPORT_INTERVAL_S, ...params],
    );
    return rows.map((r) => ({
      ...this.view({
        deviceId: r.device_id, enterpriseId: r.enterprise_id, lineId: r.line_id, checkMode: r.check_mode, checkCardMode: r.check_card_mode,
        qrcodeMode: r.qrcode_mode, cardMode: r.card_mode, whiteMode: r.white_mode, isLineWhite: r.is_line_white,
        checkStartTime: r.check_start_time, checkEndTime: r.check_end_time, heartbeatInterval: r.heartbeat_interval,
        disabledAt: r.disabled_at,
      } as DeviceEntity),
      online: r.online === true,
      last_seen_time: r.last_seen_at ? formatWireTime(new Date(r.last_seen_at as string), 'yyyy-MM-dd HH:mm:ss', this.config.WIRE_TIME_ZONE) : null,
      lng: (r.lng as number | null) ?? null,
      lat: (r.lat as number | null) ?? null,
      speed: (r.speed as number | null) ?? null,
      course: (r.course as number | null) ?? null,
      software_ver: (r.software_ver as number | null) ?? null,
      lng_raw: (r.lng_raw as string | null) ?? null,
      lat_raw: (r.lat_raw as string | null) ?? null,
      speed_raw: (r.speed_raw as string | null) ?? null,
      course_raw: (r.course_raw as string | null) ?? null,
      software_ver_raw: (r.software_ver_raw as string | null) ?? null,
      version_code_all: (r.version_code_all as string | null) ?? null,
      version_code_add: (r.version_code_add as string | null) ?? null,
      line_version_code_all: (r.line_version_code_all as string | null) ?? null,
      total: Number(r.total),
    }));
  }

  private view(e: DeviceEntity): DeviceView {
    return {
      device_id: e.deviceId,
      enterprise_id: e.enterpriseId,
      line_id: e.lineId,
      check_mode: e.checkMode,
      check_card_mode: e.checkCardMode,
      qrcode_mode: e.qrcodeMode,
      card_mode: e.cardMode,
      white_mode: e.whiteMode,
      is_line_white: e.isLineWhite,
      check_start_time: e.checkStartTime,
      check_end_time: e.checkEndTime,
      heartbeat_interval: this.lines.reportInterval(e),
      heartbeat_interval_from: this.lines.intervalSource(e),
      disabled: Boolean(e.disabledAt),
      disabled_time: e.disabledAt ? formatWireTime(new Date(e.disabledAt), 'yyyy-MM-dd HH:mm:ss', this.config.WIRE_TIME_ZONE) : null,
    };
  }

  private notFound(deviceId: string): AppError {
    return new AppError(ErrorKind.NOT_FOUND, DeviceErrorCode.DEVICE_NOT_FOUND, `device_id: no device ${deviceId}`, 'device_id');
  }

}
