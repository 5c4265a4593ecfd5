import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
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

/**
 * An operator took a validator out of service (`disabled`: its tokens stop working and it gets no
 * new one) or put it back (`enabled`: it may log in again with /get_token).
 */
export class DeviceStatusChangedEvent extends EventMeta {
  @IsString() @MaxLength(64) deviceId!: string;
  @IsString() @MaxLength(64) enterpriseId!: string;
  @IsString() @MaxLength(64) lineId!: string;
  @IsIn(['disabled', 'enabled']) status!: 'disabled' | 'enabled';
}
