import { Injectable } from '@nestjs/common';
import { timeOf } from '../checks/card-check.service';
import { TransitValidationConfig } from '../config';
import { formatWindow } from '../devices/check-window';
import { DeviceStateStore } from '../devices/device-state';
import type { Device } from '../devices/device-registry';
import { LineSettings } from '../devices/line-settings';
import { QrKeyRing } from '../qr/qr-key-ring';
import { TelemetryReader } from '../telemetry/telemetry-reader';
import { WhitelistCache } from '../whitelist/whitelist-cache';
import { answerVersionAll } from '../whitelist/version-diff';
import { serverTime } from '../wire/wire-clock';
import { LocationReportDto } from './dto/location-report.dto';
import { HeartbeatWriter } from './heartbeat-writer';

/** The heartbeat answer: the device's remote configuration and what it should download. */
export interface HeartbeatAnswer {
  enterprise_id: string;
  server_time: string;
  version_code: string;
  check_mode: number;
  check_card_mode: number;
  qrcode_mode: number;
  card_mode: number;
  white_mode: number;
  version_code_all: string;
  version_code_add: string;
  line_version_code_all: string;
  is_line_white: number;
  check_start_time_format: string;
  check_end_time_format: string;
  /**
   * Extension (not in the document's table): seconds until the next heartbeat, the document's
   * "间隔5s(可动态修改)" made remote: the device's, its line's, or TRANSIT_REPORT_INTERVAL_S.
   */
  report_interval: number;
}

/** 3.1: keep the report, answer with configuration and versions, without waiting for the database. */
@Injectable()
export class LocationReportService {
  constructor(
    private readonly writer: HeartbeatWriter,
    private readonly states: DeviceStateStore,
    private readonly whitelist: WhitelistCache,
    private readonly qr: QrKeyRing,
    private readonly config: TransitValidationConfig,
    private readonly telemetry: TelemetryReader,
    private readonly lines: LineSettings,
  ) {}

  async report(device: Device, dto: LocationReportDto): Promise<HeartbeatAnswer> {
    const now = new Date();
    const zone = this.config.WIRE_TIME_ZONE;
    // Telemetry never refuses a heartbeat: each value is kept as a number, as sent, or both.
    const lng = this.telemetry.read('lng', dto.lng);
    const lat = this.telemetry.read('lat', dto.lat);
    const course = this.telemetry.read('course', dto.course);
    const speed = this.telemetry.read('speed', dto.speed);
    const softwareVer = this.telemetry.read('software_ver', dto.software_ver);
    await this.writer.add({
      deviceId: device.deviceId, receivedAtMs: now.getTime(), deviceTimeMs: timeOf(dto.time, zone).getTime(),
      lng: lng.value, lat: lat.value, course: course.value, speed: speed.value,
      checkMode: dto.check_mode, checkCardMode: dto.check_card_mode, qrcodeMode: dto.qrcode_mode, cardMode: dto.card_mode,
      whiteMode: dto.white_mode, isLineWhite: dto.is_line_white, versionCodeAll: dto.version_code_all, versionCodeAdd: dto.version_code_add,
      lineVersionCodeAll: dto.line_version_code_all, softwareVer: softwareVer.value,
      lngRaw: lng.sent, latRaw: lat.sent, courseRaw: course.sent, speedRaw: speed.sent, softwareVerRaw: softwareVer.sent,
    });
    this.states.remember(device.deviceId, { versionAll: dto.version_code_all, versionAdd: dto.version_code_add, at: now.getTime() });
    const current = this.whitelist.version;
    const window = formatWindow(device.window, now, zone);
    return {
      enterprise_id: device.enterpriseId,
      server_time: serverTime(now, zone),
      version_code: String(this.qr.keySetVersion(now)),
      check_mode: device.checkMode,
      check_card_mode: device.checkCardMode,
      qrcode_mode: device.qrcodeMode,
      card_mode: device.cardMode,
      white_mode: device.whiteMode,
      version_code_all: answerVersionAll(dto.version_code_all, current),
      version_code_add: String(current),
      line_version_code_all: String(this.whitelist.lineVersion(device.lineId)),
      is_line_white: device.isLineWhite,
      check_start_time_format: window.start,
      check_end_time_format: window.end,
      report_interval: this.lines.reportInterval(device),
    };
  }
}
