import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { BatchWriter } from '../core/batch-writer';

export interface HeartbeatRow {
  deviceId: string;
  receivedAt: Date;
  deviceTime: Date;
  lng?: number;
  lat?: number;
  course?: number;
  speed?: number;
  checkMode: number;
  checkCardMode: number;
  qrcodeMode: number;
  cardMode: number;
  whiteMode: number;
  isLineWhite: number;
  versionCodeAll: string;
  versionCodeAdd: string;
  lineVersionCodeAll: string;
  softwareVer: number;
}

const COLUMNS = `device_id, received_at, device_time, lng, lat, course, speed, check_mode, check_card_mode, qrcode_mode, card_mode, white_mode,
  is_line_white, version_code_all, version_code_add, line_version_code_all, software_ver`;
const TYPES = `$1::text[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::int2[], $9::int2[],
  $10::int2[], $11::int2[], $12::int2[], $13::int2[], $14::text[], $15::text[], $16::text[], $17::int[]`;

function columns(rows: HeartbeatRow[]): unknown[] {
  return [
    rows.map((r) => r.deviceId), rows.map((r) => r.receivedAt), rows.map((r) => r.deviceTime),
    rows.map((r) => r.lng ?? null), rows.map((r) => r.lat ?? null), rows.map((r) => r.course ?? null), rows.map((r) => r.speed ?? null),
    rows.map((r) => r.checkMode), rows.map((r) => r.checkCardMode), rows.map((r) => r.qrcodeMode), rows.map((r) => r.cardMode),
    rows.map((r) => r.whiteMode), rows.map((r) => r.isLineWhite), rows.map((r) => r.versionCodeAll), rows.map((r) => r.versionCodeAdd),
    rows.map((r) => r.lineVersionCodeAll), rows.map((r) => r.softwareVer),
  ];
}

/**
 * Heartbeats, the highest-volume call, are written in batches (BatchWriter: every
 * TRANSIT_HEARTBEAT_FLUSH_MS or TRANSIT_HEARTBEAT_BATCH rows; see there for the durability
 * trade-off): one transaction appends all rows to the partitioned `location_report` history and
 * moves each device's `device_status` to its latest report, each with ONE statement.
 */
@Injectable()
export class HeartbeatWriter implements BeforeApplicationShutdown {
  readonly writer: BatchWriter<HeartbeatRow>;

  constructor(db: DataSource, config: TransitValidationConfig, metrics: MetricsRegistry) {
    this.writer = new BatchWriter<HeartbeatRow>({
      name: 'heartbeats',
      flushMs: config.TRANSIT_HEARTBEAT_FLUSH_MS,
      maxBatch: config.TRANSIT_HEARTBEAT_BATCH,
      maxPending: config.TRANSIT_MAX_PENDING_ROWS,
      write: (rows) =>
        db.transaction(async (manager) => {
          await manager.query(`INSERT INTO location_report (${COLUMNS}) SELECT * FROM unnest(${TYPES})`, columns(rows));
          // One row per device (its latest), in key order so concurrent flushes lock alike.
          const latest = new Map<string, HeartbeatRow>();
          for (const r of rows) {
            const seen = latest.get(r.deviceId);
            if (!seen || seen.receivedAt <= r.receivedAt) latest.set(r.deviceId, r);
          }
          const devices = [...latest.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
          await manager.query(
            `INSERT INTO device_status (device_id, last_seen_at, device_time, lng, lat, course, speed, check_mode, check_card_mode, qrcode_mode,
               card_mode, white_mode, is_line_white, version_code_all, version_code_add, line_version_code_all, software_ver)
             SELECT * FROM unnest(${TYPES})
             ON CONFLICT (device_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, device_time = EXCLUDED.device_time,
               lng = EXCLUDED.lng, lat = EXCLUDED.lat, course = EXCLUDED.course, speed = EXCLUDED.speed, check_mode = EXCLUDED.check_mode,
               check_card_mode = EXCLUDED.check_card_mode, qrcode_mode = EXCLUDED.qrcode_mode, card_mode = EXCLUDED.card_mode,
               white_mode = EXCLUDED.white_mode, is_line_white = EXCLUDED.is_line_white, version_code_all = EXCLUDED.version_code_all,
               version_code_add = EXCLUDED.version_code_add, line_version_code_all = EXCLUDED.line_version_code_all, software_ver = EXCLUDED.software_ver
             WHERE device_status.last_seen_at <= EXCLUDED.last_seen_at`,
            columns(devices),
          );
        }),
    });
    const writer = this.writer;
    metrics.gauge('transit_heartbeats_pending', 'Heartbeats answered, not yet written', function () {
      this.set(writer.pending);
    });
    metrics.gauge('transit_heartbeats_written', 'Heartbeats written since start', function () {
      this.set(writer.written);
    });
  }

  add(row: HeartbeatRow): Promise<void> {
    return this.writer.add(row);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.writer.drain();
  }
}
