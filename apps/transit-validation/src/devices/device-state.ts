import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The whitelist versions a device reported in its latest heartbeat. */
export interface ReportedVersions {
  versionAll: string | null;
  versionAdd: string | null;
  at: number;
}

const MAX_ENTRIES = 200_000;

/**
 * What each device last reported, for the incremental list it asks for next. This replica's
 * own latest heartbeats answer at once (the batched write may not have landed yet); otherwise
 * the database's `device_status`. A heartbeat that landed on another replica moments ago may
 * not be there yet: the device then gets the changes since its previous report, a superset,
 * which it applies harmlessly.
 */
@Injectable()
export class DeviceStateStore {
  private readonly latest = new Map<string, ReportedVersions>();

  constructor(private readonly db: DataSource) {}

  remember(deviceId: string, versions: ReportedVersions): void {
    if (this.latest.size >= MAX_ENTRIES && !this.latest.has(deviceId)) this.latest.clear();
    this.latest.set(deviceId, versions);
  }

  async reported(deviceId: string): Promise<ReportedVersions | undefined> {
    const mine = this.latest.get(deviceId);
    const [row] = await this.db.query(`SELECT version_code_all, version_code_add, last_seen_at FROM device_status WHERE device_id = $1`, [deviceId]);
    const stored = row ? { versionAll: row.version_code_all, versionAdd: row.version_code_add, at: new Date(row.last_seen_at).getTime() } : undefined;
    if (mine && (!stored || mine.at >= stored.at)) return mine;
    return stored;
  }
}
