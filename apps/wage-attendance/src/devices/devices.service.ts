import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { newSecret } from '@onecard/platform';
import { deleteDeviceForm } from '../callbacks/callback-forms';
import { CallbackQueue } from '../callbacks/callback-queue';
import { isUniqueViolation } from '../common/sql-errors';
import { WageKeys } from '../common/wage-keys';
import { WageAttendanceConfig } from '../config';
import { TerminalCredentials } from '../terminal-auth/terminal-credentials';
import { DeviceState } from './device.entity';
import { DeviceErrorCode } from './device.errors';
import { DeviceStatusRow, terminalStatus } from './device-events';
import { deviceQueryResult, DeviceRow } from './device-view';
import { CreateDeviceDto } from './dto/device.dto';
import { STEADY, TerminalPresence } from './terminal-presence';

/** The platform's device calls (create, query, delete) and a terminal's own heartbeat; each change published as device.status-changed. */
@Injectable()
export class DevicesService {
  constructor(
    private readonly db: DataSource,
    private readonly keys: WageKeys,
    private readonly credentials: TerminalCredentials,
    private readonly callbacks: CallbackQueue,
    private readonly config: WageAttendanceConfig,
    private readonly outbox: Outbox,
    private readonly presence: TerminalPresence,
  ) {}

  /**
   * 新增设备: a new terminal and its secret (answered once, sealed at rest). A deleted device's
   * key may be created again: it starts afresh (new secret, unbound, no authorisations).
   */
  async create(dto: CreateDeviceDto): Promise<{ deviceKey: string; secret: string }> {
    const secret = newSecret();
    const sealed = this.keys.terminalSecrets.seal(secret);
    try {
      await this.db.transaction(async (m) => {
        const [existing]: Array<{ state: number }> = await m.query(`SELECT state FROM device WHERE device_key = $1 FOR UPDATE`, [dto.deviceKey]);
        if (existing && Number(existing.state) !== DeviceState.DISABLED) throw this.exists(dto.deviceKey);
        let created: DeviceStatusRow & { created_at: Date };
        if (existing) {
          await m.query(`DELETE FROM authorisation WHERE device_key = $1`, [dto.deviceKey]);
          // An UPDATE answers [rows, count].
          [[created]] = await m.query(
            `UPDATE device SET name = $2, tag = $3, state = 1, secret_sealed = $4, version_no = NULL, last_active_at = NULL, deleted_at = NULL, online = false,
                    created_at = now(), updated_at = now() WHERE device_key = $1 RETURNING device_key, state, version_no, created_at`,
            [dto.deviceKey, dto.deviceName, dto.deviceTag ?? '', sealed],
          );
        } else {
          [created] = await m.query(
            `INSERT INTO device (device_key, name, tag, secret_sealed) VALUES ($1, $2, $3, $4) RETURNING device_key, state, version_no, created_at`,
            [dto.deviceKey, dto.deviceName, dto.deviceTag ?? '', sealed],
          );
        }
        await this.outbox.add(m, Events.TerminalStatusChanged, terminalStatus(created, 'created', 2, created.created_at));
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw this.exists(dto.deviceKey);
      throw error;
    }
    this.credentials.forget(dto.deviceKey);
    return { deviceKey: dto.deviceKey, secret };
  }

  /** 查询设备信息. */
  async query(deviceKey: string): Promise<Record<string, unknown>> {
    const [row]: DeviceRow[] = await this.db.query(
      `SELECT device_key, name, tag, state, version_no, last_active_at, created_at FROM device WHERE device_key = $1`,
      [deviceKey],
    );
    if (!row) throw this.notFound(deviceKey);
    return deviceQueryResult(row, Date.now(), this.config.TERMINAL_OFFLINE_AFTER_S, this.config.WIRE_TIME_ZONE);
  }

  /** 删除设备: the terminal is disabled (state 3) and the deleteDevice callback queued. Deleting again changes nothing. */
  async delete(deviceKey: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const [row]: Array<{ state: number }> = await m.query(`SELECT state FROM device WHERE device_key = $1 FOR UPDATE`, [deviceKey]);
      if (!row) throw this.notFound(deviceKey);
      if (Number(row.state) === DeviceState.DISABLED) return;
      // An UPDATE answers [rows, count].
      const [[deleted]]: [Array<DeviceStatusRow & { deleted_at: Date }>, number] = await m.query(
        `UPDATE device SET state = 3, online = false, deleted_at = now(), updated_at = now() WHERE device_key = $1 RETURNING device_key, state, version_no, deleted_at`,
        [deviceKey],
      );
      await this.callbacks.add(m, [{ deviceKey, kind: 'deleteDevice', form: deleteDeviceForm(deviceKey, new Date(deleted.deleted_at), this.config.WIRE_TIME_ZONE) }]);
      // Offline with it: one event says both.
      await this.outbox.add(m, Events.TerminalStatusChanged, terminalStatus(deleted, 'deleted', 2, deleted.deleted_at));
    });
    this.credentials.forget(deviceKey);
  }

  /**
   * A terminal's heartbeat: online from now, its application version, bound if it was not.
   * Answers the server time and the terminal's latest sync position (sync when it is past yours).
   */
  async heartbeat(deviceKey: string, versionNo: string): Promise<{ serverTime: number; latestCursor: string }> {
    // The usual heartbeat (bound, online, heard from lately) is this one statement and publishes nothing.
    const [row]: Array<{ latest: string }> = await this.db.query(
      `WITH touched AS (UPDATE device SET last_active_at = greatest(last_active_at, now()), version_no = $2 WHERE device_key = $1 AND ${STEADY('$3')} RETURNING device_key)
       SELECT coalesce((SELECT max(version) FROM authorisation WHERE device_key = $1), 0)::text AS latest FROM touched`,
      [deviceKey, versionNo, this.config.TERMINAL_OFFLINE_AFTER_S],
    );
    if (row) return { serverTime: Date.now(), latestCursor: row.latest };
    if (!(await this.presence.heard(deviceKey, versionNo))) throw this.notFound(deviceKey);
    const [{ latest }]: Array<{ latest: string }> = await this.db.query(
      `SELECT coalesce(max(version), 0)::text AS latest FROM authorisation WHERE device_key = $1`,
      [deviceKey],
    );
    return { serverTime: Date.now(), latestCursor: latest };
  }

  /** Any other signed call also counts as the terminal being active (and binds it, brings it online). */
  async touch(deviceKey: string): Promise<void> {
    const [{ n }]: Array<{ n: number }> = await this.db.query(
      `WITH touched AS (UPDATE device SET last_active_at = greatest(last_active_at, now()) WHERE device_key = $1 AND ${STEADY('$2')} RETURNING 1) SELECT count(*)::int AS n FROM touched`,
      [deviceKey, this.config.TERMINAL_OFFLINE_AFTER_S],
    );
    if (n === 0) await this.presence.heard(deviceKey, null);
  }

  private exists(deviceKey: string): AppError {
    return new AppError(ErrorKind.CONFLICT, DeviceErrorCode.DEVICE_EXISTS, `deviceKey: device ${deviceKey} already exists`, 'deviceKey');
  }

  private notFound(deviceKey: string): AppError {
    return new AppError(ErrorKind.NOT_FOUND, DeviceErrorCode.DEVICE_NOT_FOUND, `deviceKey: no device ${deviceKey}`, 'deviceKey');
  }
}
