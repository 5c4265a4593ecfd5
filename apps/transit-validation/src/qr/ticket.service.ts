import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CheckOutcome, Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { formatWireTime } from '@onecard/platform';
import { CheckAnswer, checkAnswers, offlineOutcome } from '../checks/check-outcome';
import { timeOf } from '../checks/card-check.service';
import { TransitValidationConfig } from '../config';
import { withinWindow } from '../devices/check-window';
import type { Device } from '../devices/device-registry';
import { DecodedQr, decodeQr, encodeQr, newTicketId, verifyQr } from './qr-codec';
import { QrKeyRing } from './qr-key-ring';
import { TelemetryReader } from '../telemetry/telemetry-reader';
import { IssueQrDto, QrCodeLogDto, TicketCheckDto } from './dto/qr.dto';

interface Verdict {
  outcome: CheckOutcome;
  /** Present once the signature is known good. */
  ticket?: DecodedQr;
}

/** Issuing riders' QR tickets, checking them online, and recording offline scans. */
@Injectable()
export class TicketService {
  /** What each outcome tells the device, with this deployment's voice packages. */
  private readonly answers: ReturnType<typeof checkAnswers>;

  constructor(
    private readonly ring: QrKeyRing,
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly config: TransitValidationConfig,
    private readonly telemetry: TelemetryReader,
  ) {
    this.answers = checkAnswers(config.TRANSIT_SOUND_NOS);
  }

  async issue(dto: IssueQrDto): Promise<{ qr_code: string; ticket_id: string; version_code: number; key_id: number; expire_time: string }> {
    const signer = await this.ring.signer();
    const now = Math.floor(Date.now() / 1000);
    const ticket = {
      versionCode: signer.versionCode, keyId: signer.keyId, issuedAt: now,
      expiresAt: now + (dto.ttl_seconds ?? this.config.TRANSIT_QR_TTL_S), ticketId: newTicketId(), userId: dto.user_id,
    };
    return {
      qr_code: encodeQr(ticket, signer.privateKey),
      ticket_id: ticket.ticketId,
      version_code: ticket.versionCode,
      key_id: ticket.keyId,
      expire_time: formatWireTime(new Date(ticket.expiresAt * 1000), 'yyyy-MM-dd HH:mm:ss', this.config.WIRE_TIME_ZONE),
    };
  }

  /** What validators need to check codes offline: every key of every group valid now. */
  keysForDevices(now = new Date()): { version_code: string; list: Array<{ key_id: number; key: string }> } {
    return {
      version_code: String(this.ring.keySetVersion(now)),
      list: this.ring.validGroups(now).flatMap((g) => g.keys.map((k) => ({ key_id: k.keyId, key: k.publicHex }))),
    };
  }

  /**
   * Signature, key group, expiry, check window. The scan time is the device's `time`; online
   * (check_mode 0), expiry and key retirement are also judged at the server's clock, so a
   * device clock running late cannot stretch a ticket.
   */
  private async verdict(qrCode: string, at: Date, online: boolean, device: Device): Promise<Verdict> {
    const decoded = decodeQr(qrCode);
    if (!decoded) return { outcome: 'bad-signature' };
    const judged = online ? new Date(Math.max(at.getTime(), Date.now())) : at;
    const key = await this.ring.publicKey(decoded.versionCode, decoded.keyId, judged);
    if (!key) return { outcome: 'unknown-key' };
    if (!verifyQr(decoded, key)) return { outcome: 'bad-signature' };
    if (decoded.expiresAt * 1000 < judged.getTime()) return { outcome: 'expired', ticket: decoded };
    if (!withinWindow(device.window, at, this.config.WIRE_TIME_ZONE)) return { outcome: 'outside-window', ticket: decoded };
    return { outcome: 'valid', ticket: decoded };
  }

  /**
   * Records the ticket's single use. The same device re-sending the same scan is a retry (still
   * valid, already recorded); any other use, on this device or another, is a replay.
   */
  private async claim(manager: EntityManager, ticket: DecodedQr, device: Device, at: Date, mode: 'online' | 'offline'): Promise<CheckOutcome | 'retry'> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO qr_ticket_use (ticket_id, version_code, user_id, device_id, used_at, mode, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7)) ON CONFLICT (ticket_id) DO NOTHING RETURNING 1`,
      [ticket.ticketId, ticket.versionCode, ticket.userId, device.deviceId, at, mode, ticket.expiresAt],
    );
    if (inserted.length > 0) return 'valid';
    const [first] = await manager.query(`SELECT device_id, used_at FROM qr_ticket_use WHERE ticket_id = $1`, [ticket.ticketId]);
    return first && first.device_id === device.deviceId && new Date(first.used_at).getTime() === at.getTime() ? 'retry' : 'replayed';
  }

  async check(device: Device, dto: TicketCheckDto): Promise<CheckAnswer> {
    const at = timeOf(dto.time, this.config.WIRE_TIME_ZONE);
    const verdict = await this.verdict(dto.qr_code, at, dto.check_mode === 0, device);
    const lng = this.telemetry.read('lng', dto.lng);
    const lat = this.telemetry.read('lat', dto.lat);
    const outcome = await this.db.transaction(async (manager) => {
      const claimed = verdict.outcome === 'valid' && verdict.ticket ? await this.claim(manager, verdict.ticket, device, at, 'online') : verdict.outcome;
      // A retry whose answer the device lost: valid again, but the ride is already recorded and published.
      if (claimed === 'retry') return 'valid';
      const final = claimed;
      await manager.query(
        `INSERT INTO ticket_check (device_id, line_id, ticket_id, user_id, checked_at, check_mode, outcome, ret_code, lng, lat, lng_raw, lat_raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          device.deviceId, device.lineId, verdict.ticket?.ticketId ?? null, verdict.ticket?.userId ?? null, at, dto.check_mode, final, this.answers[final].ret_code,
          lng.value ?? null, lat.value ?? null, lng.sent ?? null, lat.sent ?? null,
        ],
      );
      await this.outbox.add(manager, Events.TicketChecked, {
        deviceId: device.deviceId, lineId: device.lineId, userId: verdict.ticket?.userId, mode: 'online', outcome: final, checkedAt: at.toISOString(),
      });
      return final;
    });
    return this.answers[outcome];
  }

  /**
   * Stored once per device, code and scan time; published once. The device's `status` is what
   * happened at the gate; the server's own verdict is kept beside it, and when the device
   * accepted a code the server finds forged, replayed or expired, the event reports the
   * server's verdict. A code the device accepted is recorded as used.
   */
  async log(device: Device, dto: QrCodeLogDto): Promise<{ duplicate: boolean }> {
    const at = timeOf(dto.time, this.config.WIRE_TIME_ZONE);
    const status = Number(dto.status ?? '0');
    const verdict = await this.verdict(dto.qr_code, at, false, device);
    const hash = createHash('sha256').update(dto.qr_code).digest();
    const lng = this.telemetry.read('lng', dto.lng);
    const lat = this.telemetry.read('lat', dto.lat);
    return this.db.transaction(async (manager) => {
      const [exists] = await manager.query(`SELECT 1 FROM qrcode_log WHERE device_id = $1 AND qr_hash = $2 AND scanned_at = $3`, [device.deviceId, hash, at]);
      if (exists) return { duplicate: true };
      let server = verdict.outcome;
      if (status === 0 && server === 'valid' && verdict.ticket) {
        const claimed = await this.claim(manager, verdict.ticket, device, at, 'offline');
        server = claimed === 'retry' ? 'valid' : claimed;
      }
      const reported = offlineOutcome(status);
      const outcome = reported === 'valid' && server !== 'valid' ? server : reported;
      const inserted: unknown[] = await manager.query(
        `INSERT INTO qrcode_log (device_id, line_id, qr_hash, qr_code, ticket_id, user_id, scanned_at, status, outcome, server_outcome, lng, lat, lng_raw, lat_raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING RETURNING 1`,
        [
          device.deviceId, device.lineId, hash, dto.qr_code, verdict.ticket?.ticketId ?? null, verdict.ticket?.userId ?? null, at, status, outcome, server,
          lng.value ?? null, lat.value ?? null, lng.sent ?? null, lat.sent ?? null,
        ],
      );
      if (inserted.length === 0) return { duplicate: true };
      await this.outbox.add(manager, Events.TicketChecked, {
        deviceId: device.deviceId, lineId: device.lineId, userId: verdict.ticket?.userId, mode: 'offline', outcome, checkedAt: at.toISOString(),
      });
      return { duplicate: false };
    });
  }
}
