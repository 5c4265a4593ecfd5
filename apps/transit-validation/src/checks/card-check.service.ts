import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { parseDeviceTime } from '../wire/wire-clock';
import { TransitValidationConfig } from '../config';
import { withinWindow } from '../devices/check-window';
import type { Device } from '../devices/device-registry';
import { TelemetryReader } from '../telemetry/telemetry-reader';
import { normaliseCardNo } from '../whitelist/whitelist.service';
import { WhitelistCache } from '../whitelist/whitelist-cache';
import { CardCheckRecorder } from './card-check-recorder';
import { CheckAnswer, checkAnswers, decideCardCheck, offlineOutcome } from './check-outcome';
import { CardCheckDto, CardCheckLogDto } from './dto/check.dto';

export function cardIdOf(raw: string): string {
  const cardId = normaliseCardNo(raw);
  if (!cardId) throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', 'card_id must be 1–32 letters or digits', 'card_id');
  return cardId;
}

export function timeOf(raw: string, timeZone: string, field = 'time'): Date {
  const at = parseDeviceTime(raw, timeZone);
  if (!at) throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', `${field} must be a time`, field);
  return at;
}

/** card_check (answered now, from the local whitelist) and card_check_log (offline taps). */
@Injectable()
export class CardCheckService {
  /** What each outcome tells the device, with this deployment's voice packages. */
  private readonly answers: ReturnType<typeof checkAnswers>;

  constructor(
    private readonly cache: WhitelistCache,
    private readonly recorder: CardCheckRecorder,
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly config: TransitValidationConfig,
    private readonly telemetry: TelemetryReader,
  ) {
    this.answers = checkAnswers(config.TRANSIT_SOUND_NOS);
  }

  async check(device: Device, dto: CardCheckDto): Promise<CheckAnswer> {
    const cardId = cardIdOf(dto.card_id);
    const at = timeOf(dto.time, this.config.WIRE_TIME_ZONE);
    const entry = await this.cache.lookup(cardId);
    const outcome = decideCardCheck({
      entry,
      whiteMode: device.whiteMode,
      isLineWhite: device.isLineWhite,
      lineId: device.lineId,
      inWindow: withinWindow(device.window, at, this.config.WIRE_TIME_ZONE),
    });
    const answer = this.answers[outcome];
    // Position never refuses a tap: kept as a number, as sent, or both.
    const lng = this.telemetry.read('lng', dto.lng);
    const lat = this.telemetry.read('lat', dto.lat);
    await this.recorder.add({
      deviceId: device.deviceId, lineId: device.lineId, cardId, checkedAtMs: at.getTime(), receivedAtMs: Date.now(),
      checkMode: dto.check_mode ?? 1, outcome, retCode: answer.ret_code, lng: lng.value, lat: lat.value, lngRaw: lng.sent, latRaw: lat.sent,
    });
    return answer;
  }

  /** Stored once per device, card and time however often uploaded; published once. */
  async log(device: Device, dto: CardCheckLogDto): Promise<{ duplicate: boolean }> {
    const cardId = cardIdOf(dto.card_id);
    const at = timeOf(dto.time, this.config.WIRE_TIME_ZONE);
    const status = Number(dto.status ?? '0');
    const outcome = offlineOutcome(status);
    const lng = this.telemetry.read('lng', dto.lng);
    const lat = this.telemetry.read('lat', dto.lat);
    return this.db.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO card_check_log (device_id, line_id, card_id, checked_at, status, outcome, lng, lat, lng_raw, lat_raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING 1`,
        [device.deviceId, device.lineId, cardId, at, status, outcome, lng.value ?? null, lat.value ?? null, lng.sent ?? null, lat.sent ?? null],
      );
      if (inserted.length === 0) return { duplicate: true };
      await this.outbox.add(manager, Events.CardChecked, { deviceId: device.deviceId, lineId: device.lineId, cardId, mode: 'offline', outcome, checkedAt: at.toISOString() });
      return { duplicate: false };
    });
  }
}
