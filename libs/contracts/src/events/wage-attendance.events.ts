import { IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { EventMeta } from './event-meta';

/** An attendance terminal recognised someone (face, card or both); no ID numbers on the bus. */
export class PersonIdentifiedEvent extends EventMeta {
  /** The recognition record's guid, unique. */
  @IsString() @MaxLength(64) guid!: string;
  @IsString() @MaxLength(64) deviceKey!: string;
  /** Platform person guid; STRANGERBABY for a stranger, IDCARDBABY for an ID-card comparison. */
  @IsString() @MaxLength(64) personGuid!: string;
  @IsOptional() @IsString() @MaxLength(32) cardNo?: string;
  /** 1 face, 2 card, 3 face and card, 4 ID card comparison. */
  @IsIn([1, 2, 3, 4]) recMode!: 1 | 2 | 3 | 4;
  /** 1 matched, 2 not matched. */
  @IsIn([1, 2]) type!: 1 | 2;
  /** Recognition time, unix ms. */
  @IsInt() showTime!: number;
}

export const TERMINAL_CHANGES = ['created', 'bound', 'deleted', 'online', 'offline'] as const;
export type TerminalChange = (typeof TERMINAL_CHANGES)[number];

/**
 * An attendance terminal changed: registered (/device/create), bound (its first signed call, which
 * also brings it online), deleted (/device/delete), online again (a signed call after it went
 * offline) or offline (silent longer than TERMINAL_OFFLINE_AFTER_S). `state` and `onlineState` are
 * the device's after the change, as /device/query answers them, so the latest event of a device is
 * its current picture. Never carries the terminal's secret.
 */
export class TerminalStatusChangedEvent extends EventMeta {
  @IsString() @MaxLength(64) deviceKey!: string;
  @IsIn(TERMINAL_CHANGES) change!: TerminalChange;
  /** The document's device state: 1 not bound, 2 bound, 3 disabled (deleted). */
  @IsIn([1, 2, 3]) state!: 1 | 2 | 3;
  /** The document's onlineState: 1 online, 2 offline. */
  @IsIn([1, 2]) onlineState!: 1 | 2;
  /** The application version the terminal last reported; absent until it has sent a heartbeat. */
  @IsOptional() @IsString() @MaxLength(32) versionNo?: string;
  /** When it changed, ISO 8601; for `offline`, when its silence passed the window (last heard + TERMINAL_OFFLINE_AFTER_S). */
  @IsISO8601({ strict: true }) at!: string;
}
