import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '@onecard/kernel';
import { parseWireTime, formatWireTime } from '@onecard/platform';
import { fenToYuan } from '../common/money';
import { CampusCardConfig } from '../config';
import { cardNotFound, noCardOfUser } from '../cards/card-account';
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
  private todayEnds = 0;

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

    const byBooking = q.orderBy === 'dateTimeAccount';
    const column = byBooking ? 'booked_at' : 'occurred_at';
    const inRange = `${column} >= to_timestamp($2::float8 / 1000) AND ${column} < to_timestamp(($3::float8 + 1) / 1000)`;
    const pageOf = (cardNo: string): Promise<EntryRow[]> =>
      this.db.query(
        `SELECT * FROM ledger_entry WHERE card_no = $1 AND ${inRange} ORDER BY ${column} DESC, id DESC ${limit > 0 ? 'LIMIT $4 OFFSET $5' : ''}`,
        limit > 0 ? [cardNo, begin, end, limit, start] : [cardNo, begin, end],
      );
    // The card (the user's own: the named one or their first) and its count in one query. A
    // named card's page is read meanwhile; it is dropped unread if the card is not the user's.
    const owned: Promise<Array<{ card_no: string; n: number }>> = this.db.query(
      `SELECT a.card_no, (SELECT count(*)::int FROM ledger_entry WHERE card_no = a.card_no AND ${inRange}) AS n
         FROM card_account a WHERE a.user_code = $4 AND ($1::text IS NULL OR a.card_no = $1) ORDER BY a.opened_at, a.card_no LIMIT 1`,
      [q.cardNo ?? null, begin, end, userCode],
    );
    const early = q.cardNo !== undefined && limit > 0 ? pageOf(q.cardNo) : undefined;
    early?.catch(() => undefined);
    const [card] = await owned;
    if (!card) throw q.cardNo !== undefined ? cardNotFound(q.cardNo) : noCardOfUser();
    const total = card.n;
    if (limit === 0 && total > this.config.TRANSACTIONS_UNPAGED_MAX) {
      throw new InvalidInputError('limit', `limit: ${total} transactions in range, more than ${this.config.TRANSACTIONS_UNPAGED_MAX} without paging; page with start and limit`);
    }
    const rows = await (early ?? pageOf(card.card_no));
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

  /** The last millisecond of today in the wire time zone (worked out once a day, not per page). */
  private endOfToday(): number {
    if (Date.now() > this.todayEnds) {
      const zone = this.config.WIRE_TIME_ZONE;
      const today = formatWireTime(new Date(), 'yyyy-MM-dd', zone);
      this.todayEnds = (parseWireTime(`${today} 23:59:59`, zone) as Date).getTime() + 999;
    }
    return this.todayEnds;
  }
}
