import { IsIn, IsString, MaxLength } from 'class-validator';
import { EventMeta } from './event-meta';

/** tuya-bridge saw a personnel card appear, change state or disappear in Tuya Cloud. */
export class TuyaCardChangedEvent extends EventMeta {
  @IsString() @MaxLength(64) projectId!: string;
  @IsString() @MaxLength(64) personId!: string;
  @IsString() @MaxLength(64) personCardId!: string;
  /** Tuya's card_no: the physical card number. */
  @IsString() @MaxLength(32) cardNo!: string;
  /** Tuya's card_status: 1 normal, 2 frozen. */
  @IsIn([1, 2]) cardStatus!: 1 | 2;
  @IsIn(['created', 'updated', 'deleted']) change!: 'created' | 'updated' | 'deleted';
}
