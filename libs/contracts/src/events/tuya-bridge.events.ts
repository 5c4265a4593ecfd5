import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EventMeta } from './event-meta';

export const TUYA_CARD_CHANGE_REASONS = ['card-added', 'card-removed', 'card-status', 'person-disabled', 'person-enabled', 'person-removed'] as const;
export type TuyaCardChangeReason = (typeof TUYA_CARD_CHANGE_REASONS)[number];

/**
 * tuya-bridge saw a personnel card appear, change state or disappear in Tuya Cloud. One event
 * per card and change; nothing for a card that did not change.
 */
export class TuyaCardChangedEvent extends EventMeta {
  @IsString() @MaxLength(64) projectId!: string;
  @IsString() @MaxLength(64) personId!: string;
  @IsString() @MaxLength(64) personCardId!: string;
  /** Tuya's card_no: the physical card number. */
  @IsString() @MaxLength(32) cardNo!: string;
  /**
   * Whether the card opens doors now: Tuya's card_status (1 normal, 2 frozen), except that every
   * card of a disabled person is 2. For `deleted`, the last status the card had.
   */
  @IsIn([1, 2]) cardStatus!: 1 | 2;
  @IsIn(['created', 'updated', 'deleted']) change!: 'created' | 'updated' | 'deleted';
  /**
   * What changed in Tuya: the card was added or removed, its own status changed, or its holder
   * was disabled, enabled again or removed (then every card of theirs gets an event).
   */
  @IsOptional() @IsIn(TUYA_CARD_CHANGE_REASONS) reason?: TuyaCardChangeReason;
}
