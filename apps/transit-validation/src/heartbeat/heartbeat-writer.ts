import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '@onecard/kernel';
import { TransitValidationConfig } from '../config';
import { BatchWriter } from '../core/batch-writer';
import { BatchWriters } from '../core/batch-writers';
import { HeardValidator, ValidatorPresence } from '../presence/validator-presence';

export interface HeartbeatRow {
  deviceId: string;
  /** Epoch ms (numbers, not Dates: a Date's toJSON cost 5 µs per row in the batch's JSON). */
  receivedAtMs: number;
  deviceTimeMs: number;
  lng?: number;
  lat?: number;
  course?: number;
  speed?: number;
  /** Telemetry as sent, only when the number alone does not say it (see telemetry/telemetry.ts). */
  lngRaw?: string;
  latRaw?: string;
  courseRaw?: string;
  speedRaw?: string;
  softwareVerRaw?: string;
  checkMode: number;
  checkCardMode: number;
  qrcodeMode: number;
  cardMode: number;
  whiteMode: number;
  isLineWhite: number;
  versionCodeAll: string;
  versionCodeAdd: string;
  lineVersionCodeAll: string;
  softwareVer?: number;
}

const COLUMNS = `device_id, received_at, device_time, lng, lat, course, speed, check_mode, check_card_mode, qrcode_mode, card_mode, white_mode,
  is_line_white, version_code_all, version_code_add, line_version_code_all, software_ver, lng_raw, lat_raw, course_raw, speed_raw, software_ver_raw`;
// A batch goes as ONE JSON parameter read by the row's own field names (V8's stringify, where
// seventeen array parameters cost pg's escaping in JS per element). Times arrive as epoch ms.
const RECORDS = `json_to_recordset($1::json) AS t("deviceId" text, "receivedAtMs" float8, "deviceTimeMs" float8, lng float8,
  lat float8, course float8, speed float8, "checkMode" int2, "checkCardMode" int2, "qrcodeMode" int2, "cardMode" int2, "whiteMode" int2,
  "isLineWhite" int2, "versionCodeAll" text, "versionCodeAdd" text, "lineVersionCodeAll" text, "softwareVer" int, "lngRaw" text, "latRaw" text,
  "courseRaw" text, "speedRaw" text, "softwareVerRaw" text)`;
const VALUES = `"deviceId", to_timestamp("receivedAtMs" / 1000), to_timestamp("deviceTimeMs" / 1000), lng, lat, course, speed, "checkMode",
  "checkCardMode", "qrcodeMode", "cardMode", "whiteMode", "isLineWhite", "versionCodeAll", "versionCodeAdd", "lineVersionCodeAll", "softwareVer",
  "lngRaw", "latRaw", "courseRaw", "speedRaw", "softwareVerRaw"`;

/**
 * Heartbeats, the highest-volume call, are written in batches (BatchWriter: every
 * TRANSIT_HEARTBEAT_FLUSH_MS or TRANSIT_HEARTBEAT_BATCH rows; see there for the durability
 * trade-off): one transaction appends all rows to the partitioned `location_report` history and
 * moves each device's `device_status` to its latest report, each with ONE statement; a device
 * that came online with it gets its device.status-changed `online` in the same transaction.
 */
@Injectable()
export class HeartbeatWriter implements BeforeApplicationShutdown {
  readonly writer: BatchWriter<HeartbeatRow>;

  constructor(db: DataSource, config: TransitValidationConfig, metrics: MetricsRegistry, writers: BatchWriters, presence: ValidatorPresence) {
    this.writer = writers.create<HeartbeatRow>({
      name: 'heartbeats',
      flushMs: config.TRANSIT_HEARTBEAT_FLUSH_MS,
      maxBatch: config.TRANSIT_HEARTBEAT_BATCH,
      maxPending: config.TRANSIT_MAX_PENDING_ROWS,
      write: (rows) =>
        db.transaction(async (manager) => {
          await manager.query(`INSERT INTO location_report (${COLUMNS}) SELECT ${VALUES} FROM ${RECORDS}`, [JSON.stringify(rows)]);
          // One row per device (its latest), in key order so concurrent flushes lock alike.
          const latest = new Map<string, HeartbeatRow>();
          for (const r of rows) {
            const seen = latest.get(r.deviceId);
            if (!seen || seen.receivedAtMs <= r.receivedAtMs) latest.set(r.deviceId, r);
          }
          const devices = [...latest.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
          // The statement also keeps presence: `online` as published, and what it was before (was_online,
          // prior_seen_at: RETURNING shows only the new row), answering the few devices that may have come
          // online for ValidatorPresence to publish. A heartbeat no newer than the last brings nothing back.
          const heard: HeardValidator[] = await manager.query(
            `WITH written AS (
               INSERT INTO device_status (device_id, last_seen_at, device_time, lng, lat, course, speed, check_mode, check_card_mode, qrcode_mode,
                 card_mode, white_mode, is_line_white, version_code_all, version_code_add, line_version_code_all, software_ver,
                 lng_raw, lat_raw, course_raw, speed_raw, software_ver_raw, online)
               SELECT ${VALUES}, true FROM ${RECORDS}
               ON CONFLICT (device_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, device_time = EXCLUDED.device_time,
                 lng = EXCLUDED.lng, lat = EXCLUDED.lat, course = EXCLUDED.course, speed = EXCLUDED.speed, check_mode = EXCLUDED.check_mode,
                 check_card_mode = EXCLUDED.check_card_mode, qrcode_mode = EXCLUDED.qrcode_mode, card_mode = EXCLUDED.card_mode,
                 white_mode = EXCLUDED.white_mode, is_line_white = EXCLUDED.is_line_white, version_code_all = EXCLUDED.version_code_all,
                 version_code_add = EXCLUDED.version_code_add, line_version_code_all = EXCLUDED.line_version_code_all, software_ver = EXCLUDED.software_ver,
                 lng_raw = EXCLUDED.lng_raw, lat_raw = EXCLUDED.lat_raw, course_raw = EXCLUDED.course_raw, speed_raw = EXCLUDED.speed_raw,
                 software_ver_raw = EXCLUDED.software_ver_raw,
                 online = device_status.online OR EXCLUDED.last_seen_at > device_status.last_seen_at,
                 was_online = device_status.online, prior_seen_at = device_status.last_seen_at
               WHERE device_status.last_seen_at <= EXCLUDED.last_seen_at
               RETURNING device_id, last_seen_at, lng, lat, online, was_online, prior_seen_at)
             SELECT device_id, last_seen_at, lng, lat, was_online, prior_seen_at FROM written
              WHERE online AND (NOT was_online OR prior_seen_at <= last_seen_at - make_interval(secs => $2))`,
            [JSON.stringify(devices), config.TRANSIT_OFFLINE_MIN_S],
          );
          await presence.heard(manager, heard);
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
