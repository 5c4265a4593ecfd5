import { Transform } from 'class-transformer';
import { IsDefined, IsString, Matches } from 'class-validator';
import { HEX_UID, normaliseUid } from '@onecard/contracts';
import { AdminPageQuery } from '@onecard/platform';
import { OptionalCardNo } from '../../common/validators';

/** POST /admin/cards/{cardNo}/bind. */
export class BindCardDto {
  @Transform(({ value }) => (typeof value === 'string' ? normaliseUid(value) : value))
  @IsDefined({ message: 'cardId is required' })
  @IsString({ message: 'cardId must be a string' })
  @Matches(HEX_UID, { message: 'cardId must be the physical card id: 4 to 10 bytes of hex' })
  cardId: string;
}

/** GET /admin/found-cards?cardNo=&limit=&offset=. */
export class FoundCardsQuery extends AdminPageQuery {
  @OptionalCardNo()
  cardNo?: string;
}
