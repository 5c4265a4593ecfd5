import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
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
