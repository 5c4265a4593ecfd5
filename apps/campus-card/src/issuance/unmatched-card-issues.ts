import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { adminPage, AdminPage, PageWindow } from '@onecard/platform';
import { wireTime } from '../common/wire-format';
import { CampusCardConfig } from '../config';

export type CardIssueStatus = 'open' | 'resolved' | 'all';

const WHERE: Record<CardIssueStatus, string> = { open: 'WHERE resolved_at IS NULL', resolved: 'WHERE resolved_at IS NOT NULL', all: '' };

/** `GET /admin/card-issues`: card.issued events kept because they could not be applied, newest first. */
@Injectable()
export class UnmatchedCardIssues {
  constructor(
    private readonly db: DataSource,
    private readonly config: CampusCardConfig,
  ) {}

  async list(status: CardIssueStatus, window: PageWindow): Promise<AdminPage<object>> {
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM unmatched_card_issue ${WHERE[status]}`);
    const rows = await this.db.query(`SELECT * FROM unmatched_card_issue ${WHERE[status]} ORDER BY received_at DESC, event_id LIMIT $1 OFFSET $2`, [window.limit, window.offset]);
    const zone = this.config.WIRE_TIME_ZONE;
    return adminPage(
      window,
      total,
      rows.map((r: Record<string, unknown>) => ({
        eventId: r.event_id,
        orderId: r.order_id,
        orderType: Number(r.order_type),
        userCode: r.user_code,
        cardId: r.card_id,
        reason: r.reason,
        receivedAt: wireTime(r.received_at as Date, zone),
        resolvedAt: r.resolved_at ? wireTime(r.resolved_at as Date, zone) : null,
        resolution: r.resolution,
      })),
    );
  }
}
