import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EventMeta } from './event-meta';
import { COMPACT_DATE, HEX_UID } from '../formats';

export const CARD_STATUS_CHANGES = ['lost', 'found', 'frozen', 'thawed', 'replaced'] as const;
export type CardStatusChange = (typeof CARD_STATUS_CHANGES)[number];

/**
 * campus-card changed a card's lost/frozen state; the card is usable iff neither is set and the
 * change is not `replaced` (then `cardId` is the old card, out of use for good; the new card is
 * announced by its own event).
 */
export class CardStatusChangedEvent extends EventMeta {
  /** Campus card account number. */
  @IsString() @MaxLength(32) cardNo!: string;
  /** Physical card id (uppercase hex). */
  @Matches(HEX_UID) cardId!: string;
  @IsString() @MaxLength(64) userCode!: string;
  @IsBoolean() lost!: boolean;
  @IsBoolean() frozen!: boolean;
  @IsIn(CARD_STATUS_CHANGES) change!: CardStatusChange;
}

/** campus-card opened an account (from an API call or a kiosk's open-card order). */
export class AccountOpenedEvent extends EventMeta {
  @IsString() @MaxLength(32) cardNo!: string;
  @IsString() @MaxLength(64) userCode!: string;
  @IsString() @MaxLength(64) userName!: string;
  @IsIn(['800', '801']) cardType!: '800' | '801';
  @Matches(COMPACT_DATE) expireDate!: string;
  @IsOptional() @Matches(HEX_UID) cardId?: string;
}
