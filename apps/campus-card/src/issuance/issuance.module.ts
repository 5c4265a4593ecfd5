import { Module } from '@nestjs/common';
import { CardsModule } from '../cards/cards.module';
import { CardIssuedConsumer } from './card-issued';
import { CardIssuesAdminController } from './card-issues-admin.controller';
import { CardIssuesBacklog } from './card-issues-backlog';
import { UnmatchedCardIssues } from './unmatched-card-issues';

/** card-issuance's card.issued, applied to accounts; what cannot be, kept for operators. */
@Module({
  imports: [CardsModule],
  controllers: [CardIssuesAdminController],
  providers: [CardIssuedConsumer, CardIssuesBacklog, UnmatchedCardIssues],
})
export class IssuanceModule {}
