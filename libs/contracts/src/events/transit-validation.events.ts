import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, MaxLength } from 'class-validator';
import { EventMeta } from './event-meta';

export const CHECK_OUTCOMES = ['valid', 'not-listed', 'invalid', 'outside-window', 'wrong-line', 'expired', 'bad-signature', 'replayed', 'unknown-key'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

/** A validator checked a card, online (card_check) or offline (uploaded by card_check_log). */
export class CardCheckedEvent extends EventMeta {
  @IsString() @MaxLength(64) deviceId!: string;
  @IsOptional() @IsString() @MaxLength(64) lineId?: string;
  @IsString() @MaxLength(32) cardId!: string;
  @IsIn(['online', 'offline']) mode!: 'online' | 'offline';
  @IsIn(CHECK_OUTCOMES) outcome!: CheckOutcome;
  /** When the rider tapped, ISO 8601. */
  @IsString() checkedAt!: string;
}

/** A validator checked a QR ticket, online (ticket_check) or offline (offline_qrcode_log). */
export class TicketCheckedEvent extends EventMeta {
  @IsString() @MaxLength(64) deviceId!: string;
  @IsOptional() @IsString() @MaxLength(64) lineId?: string;
  /** Rider the ticket was issued to, when the code could be read. */
  @IsOptional() @IsString() @MaxLength(64) userId?: string;
  @IsIn(['online', 'offline']) mode!: 'online' | 'offline';
  @IsIn(CHECK_OUTCOMES) outcome!: CheckOutcome;
  @IsString() checkedAt!: string;
}

/** The whitelist took a new version (one or more cards changed). */
export class WhitelistChangedEvent extends EventMeta {
  @IsInt() version!: number;
  @IsInt() changedCards!: number;
}

export const DEVICE_STATUS_CHANGES = ['disabled', 'enabled', 'online', 'offline'] as const;
export type DeviceStatusChange = (typeof DEVICE_STATUS_CHANGES)[number];

/**
 * A validator changed: an operator took it out of service (`disabled`: its tokens stop working and
 * it gets no new one) or put it back (`enabled`: it may log in again with /get_token); or it came
 * `online` (a heartbeat while it was offline, or its first) or went `offline` (no heartbeat for
 * TRANSIT_OFFLINE_AFTER_HEARTBEATS of the intervals it is told, at least TRANSIT_OFFLINE_MIN_S: the
 * rule /admin/devices shows `online` by). Each transition is published once, whatever the number
 * of replicas. `online`/`offline` were added to this subject beside `disabled`/`enabled`: a consumer
 * interested in one kind filters on `status`.
 */
export class DeviceStatusChangedEvent extends EventMeta {
  @IsString() @MaxLength(64) deviceId!: string;
  @IsString() @MaxLength(64) enterpriseId!: string;
  @IsString() @MaxLength(64) lineId!: string;
  @IsIn(DEVICE_STATUS_CHANGES) status!: DeviceStatusChange;
  /**
   * When it changed, ISO 8601: the operator's change, the heartbeat that brought it online, or
   * for `offline` when its silence passed the window (last heartbeat + the window). Absent only in
   * events published before it was added.
   */
  @IsOptional() @IsISO8601({ strict: true }) at?: string;
  /** `online` and `offline`: the last known position (the heartbeat's), degrees, when it was sent as a number. */
  @IsOptional() @IsNumber() lng?: number;
  @IsOptional() @IsNumber() lat?: number;
}
