import { IsOptional, Matches } from 'class-validator';
import { AdminPageQuery } from '../admin-page';

/** `GET /admin/outbox?subject=&limit=&offset=`: rows waiting to be published, oldest first. */
export class OutboxListQuery extends AdminPageQuery {
  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,255}$/, { message: 'subject must be an event subject such as onecard.card-issuance.card.issued' })
  subject?: string;
}
