import { IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { HEX_UID } from '../formats';

/** campus-card: the fresh state of one card, by physical id or account number. */
export class GetCampusCardRequest {
  @ValidateIf((o: GetCampusCardRequest) => o.cardNo === undefined) @Matches(HEX_UID) cardId?: string;
  @ValidateIf((o: GetCampusCardRequest) => o.cardId === undefined) @IsString() @MaxLength(32) cardNo?: string;
}
export class GetCampusCardReply {
  @IsBoolean() found!: boolean;
  @IsOptional() @IsString() cardNo?: string;
  @IsOptional() @IsString() cardId?: string;
  @IsOptional() @IsString() userCode?: string;
  @IsOptional() @IsBoolean() lost?: boolean;
  @IsOptional() @IsBoolean() frozen?: boolean;
}

/** transit-validation: whether a card is on the whitelist, and at which version. */
export class GetWhitelistEntryRequest {
  @IsString() @MaxLength(32) cardNo!: string;
}
export class GetWhitelistEntryReply {
  @IsBoolean() found!: boolean;
  /** 1 valid, 0 invalid (the validator document's flag). */
  @IsOptional() @IsInt() flag?: 0 | 1;
  @IsInt() version!: number;
}
