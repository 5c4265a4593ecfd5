import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { adminPage, AdminPage, pageWindow } from '@onecard/platform';
import { WageAttendanceConfig } from '../config';
import { deviceQueryResult, DeviceRow } from './device-view';
import { DeviceListQuery } from './dto/device-admin.dto';

/** Operators' view of the terminals: each as 查询设备信息 answers it, paged and filtered. */
@Injectable()
export class DevicesAdminService {
  constructor(
    private readonly db: DataSource,
    private readonly config: WageAttendanceConfig,
  ) {}

  async list(query: DeviceListQuery): Promise<AdminPage<Record<string, unknown>>> {
    // One instant for the filter and for each device's onlineState, so the two always agree.
    const now = Date.now();
    const onlineSince = new Date(now - this.config.TERMINAL_OFFLINE_AFTER_S * 1000);
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => where.push(sql.replace('?', `$${params.push(value)}`));
    if (query.state !== undefined) add('state = ?', query.state);
    // Online as onlineState() has it: not disabled, heard from within the silence allowed.
    if (query.onlineState === 1) add('(state <> 3 AND last_active_at >= ?)', onlineSince);
    if (query.onlineState === 2) add('(state = 3 OR last_active_at IS NULL OR last_active_at < ?)', onlineSince);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const filterParams = [...params];
    const window = pageWindow(query);
    const rows: Array<DeviceRow & { total: string }> = await this.db.query(
      `SELECT device_key, name, tag, state, version_no, last_active_at, created_at, count(*) OVER () AS total
         FROM device ${filter} ORDER BY device_key LIMIT $${params.push(window.limit)} OFFSET $${params.push(window.offset)}`,
      params,
    );
    let total = rows.length > 0 ? Number(rows[0].total) : 0;
    if (rows.length === 0 && window.offset > 0) {
      // A page past the end still says how many there are.
      [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM device ${filter}`, filterParams);
    }
    const zone = this.config.WIRE_TIME_ZONE;
    return adminPage(window, total, rows.map((row) => deviceQueryResult(row, now, this.config.TERMINAL_OFFLINE_AFTER_S, zone)));
  }
}
