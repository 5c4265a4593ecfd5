import { IsIn, IsISO8601, IsUUID } from 'class-validator';
import { APP_NAMES, AppName } from '../apps';

/** Fields every event carries, whatever its subject. */
export class EventMeta {
  /** Unique per event; consumers record it in their inbox to apply an event once. */
  @IsUUID()
  eventId!: string;

  /** When the change happened (ISO 8601, UTC). */
  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsIn(APP_NAMES)
  producer!: AppName;
}
