import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BacklogSources } from '@onecard/platform';

/**
 * `card_issues` on /admin/backlog: card.issued events kept because they could not be applied
 * (`GET /admin/card-issues`), open until retried or dismissed, with when the oldest came.
 */
@Injectable()
export class CardIssuesBacklog {
  constructor(db: DataSource, backlog: BacklogSources) {
    backlog.register('card_issues', async () => {
      const [row] = await db.query(`SELECT count(*)::int AS n, min(received_at) AS oldest FROM unmatched_card_issue WHERE resolved_at IS NULL`);
      return { pending: row.n, oldestAt: row.oldest };
    });
  }
}
