import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '@onecard/kernel';
import { parseWireTime, formatWireTime } from '@onecard/platform';
import { fenToYuan } from '../common/money';
import { CampusCardConfig } from '../config';
import { ownCard } from '../cards/card-account';
import type { CardApiResult } from '../wire/card-api-envelope';
import { TransactionsQuery } from './dto/transactions.dto';

interface EntryRow {
  occurred_at: Date;
  booked_at: Date;
  system: string;
  merchant_no: string;
  merchant: string;
  description: string;
  amount_fen: string;
  balance_after_fen: string;
}

/**
 * 获取交易记录信息: a page of one of the cardholder's cards, newest first, by 消费时间 (dateTime)
 * or 入账时间 (dateTimeAccount); `total` counts the whole range. Each is an index walk of
 * (card_no, time DESC, id DESC), so a page costs the same over a card's millionth entry.
 */
@Injectable()
export class TransactionsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: CampusCardConfig,
  ) {}

  async page(userCode: string, q: TransactionsQuery): Promise<CardApiResult> {
    const limit = q.limit ?? 0;
    const start = q.start ?? 0;
    // The document's paging rules, each refused naming its field.
    if (start > 0 && limit === 0) throw new InvalidInputError('limit', 'limit: required (1-100) when start is above 0');
    if (start > 0 && start % limit !== 0) throw new InvalidInputError('start', `start: must be a multiple of limit (${limit})`);
    if (limit === 0 && q.beginDate === undefined) throw new InvalidInputError('beginDate', 'beginDate: required without paging (limit 0 or absent)');
    const begin = q.beginDate ?? 0;
    const end = q.endDate ?? this.endOfToday();
    if (end < begin) throw new InvalidInputError('endDate', 'endDate: must not be before beginDate');

    const card = await ownCard(this.db, userCode, q.cardNo);
    const byBooking = q.orderBy === 'dateTimeAccount';
    const column = byBooking ? 'booked_at' : 'occurred_at';
    const range = `card_no = $1 AND ${column} >= to_timestamp($2::float8 / 1000) AND ${column} < to_timestamp(($3::float8 + 1) / 1000)`;
    const params = [card.card_no, begin, end];
    const countQuery = this.db.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE ${range}`, params);
    const pageQuery: Promise<EntryRow[]> =
      limit > 0
        ? this.db.query(`SELECT * FROM ledger_entry WHERE ${range} ORDER BY ${column} DESC, id DESC LIMIT $4 OFFSET $5`, [...params, limit, start])
        : Promise.resolve([]);
    const [[{ n: total }], paged] = await Promise.all([countQuery, pageQuery]);
    let rows = paged;
    if (limit === 0) {
      if (total > this.config.TRANSACTIONS_UNPAGED_MAX) {
        throw new InvalidInputError('limit', `limit: ${total} transactions in range, more than ${this.config.TRANSACTIONS_UNPAGED_MAX} without paging; page with start and limit`);
      }
      rows = await this.db.query(`SELECT * FROM ledger_entry WHERE ${range} ORDER BY ${column} DESC, id DESC`, params);
    }
    return { total, entities: rows.map((r) => this.entity(r, byBooking)) };
  }

  /** Card Transaction, in the document's field order (its `dateTimAccount` spelling kept). */
  private entity(r: EntryRow, byBooking: boolean): object {
    const out: Record<string, unknown> = { dateTime: r.occurred_at.getTime() };
    if (byBooking) out.dateTimAccount = r.booked_at.getTime();
    out.system = r.system;
    out.merchantNo = r.merchant_no;
    out.merchant = r.merchant;
    out.description = r.description;
    out.amount = fenToYuan(r.amount_fen);
    out.cardBalance = fenToYuan(r.balance_after_fen);
    return out;
  }

  private endOfToday(): number {
    const zone = this.config.WIRE_TIME_ZONE;
    const today = formatWireTime(new Date(), 'yyyy-MM-dd', zone);
    return (parseWireTime(`${today} 23:59:59`, zone) as Date).getTime() + 999;
  }
}
