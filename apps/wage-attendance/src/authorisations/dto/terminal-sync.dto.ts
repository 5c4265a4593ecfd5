import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { DeviceKey, PersonGuid } from '../../common/fields';

export class SyncQuery {
  /** The cursor the last sync answered; absent or 0: everything the terminal must hold. */
  @IsOptional() @Matches(/^\d{1,18}$/, { message: '$property must be the cursor a sync answered (a whole number)' })
  cursor?: string;
}

/** A terminal confirms it applied one change it synced. */
export class AckDto {
  @DeviceKey() deviceKey!: string;
  @PersonGuid() personGuid!: string;
  @IsIn(['add', 'delete'], { message: '$property must be add or delete' })
  action!: 'add' | 'delete';
  /** add: the photo it holds (the faceGuid sync gave; empty when the person has none). */
  @IsOptional() @IsString({ message: '$property must be a string' }) @Matches(/^([0-9A-F]{20})?$/, { message: '$property must be the faceGuid sync gave (20 hex digits) or empty' })
  faceGuid?: string;
}

export class FaceGuidParam {
  @Matches(/^[0-9A-F]{20}$/, { message: '$property must be a faceGuid (20 hex digits)' })
  faceGuid!: string;
}
