import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '@onecard/kernel';
import { parseWireTime, formatWireTime } from '@onecard/platform';
import { fenToYuan } from '../common/money';
import { CampusCardConfig } from '../config';
import { cardNotFound, noCardOfUser } from '../cards/card-account';
import type { CardApiResult } from '../wire/card-api-envelope';
import { TransactionsQuery } from './dto/transactions.dto';

/** An entry as the page's JSON carries it: 消费时间 and 入账时间 in unix ms, then the fields and fen. */
type EntryTuple = [number, number, string, string, string, string, number, number];

const ENTRY_FIELDS = `trunc(extract(epoch FROM e.occurred_at) * 1000)::int8, trunc(extract(epoch FROM e.booked_at) * 1000)::int8,
  e.system, e.merchant_no, e.merchant, e.description, e.amount_fen, e.balance_after_fen`;

/** Card Transaction, in the document's field order (its `dateTimAccount` spelling kept). */
function entity(e: EntryTuple, byBooking: boolean): object {
  const out: Record<string, unknown> = { dateTime: e[0] };
  if (byBooking) out.dateTimAccount = e[1];
  out.system = e[2];
  out.merchantNo = e[3];
  out.merchant = e[4];
  out.description = e[5];
  out.amount = fenToYuan(e[6]);
  out.cardBalance = fenToYuan(e[7]);
  return out;
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
    // The page's entries as one JSON array of arrays (EntryTuple), built by Postgres: JSON.parse
    // of one value costs a fraction of reading ten columns per row with their timestamps.
    const pageOf = (card: string, from: number) =>
      `SELECT coalesce(json_agg(json_build_array(${ENTRY_FIELDS}) ORDER BY e.${column} DESC, e.id DESC), '[]') AS page FROM (
         SELECT * FROM ledger_entry WHERE card_no = ${card} AND ${inRange} ORDER BY ${column} DESC, id DESC ${limit > 0 ? `LIMIT $${from} OFFSET $${from + 1}` : ''}) e`;
    // The card (the user's own: the named one or their first) and its count, and when paging its
    // page too, in one statement; a card not the user's has nothing read.
    const [card]: Array<{ card_no: string; n: number; page?: EntryTuple[] }> = await this.db.query(
      `SELECT a.card_no, (SELECT count(*)::int FROM ledger_entry WHERE card_no = a.card_no AND ${inRange}) AS n ${limit > 0 ? `, (${pageOf('a.card_no', 5)}) AS page` : ''}
         FROM card_account a WHERE a.user_code = $4 AND ($1::text IS NULL OR a.card_no = $1) ORDER BY a.opened_at, a.card_no LIMIT 1`,
      limit > 0 ? [q.cardNo ?? null, begin, end, userCode, limit, start] : [q.cardNo ?? null, begin, end, userCode],
    );
    if (!card) throw q.cardNo !== undefined ? cardNotFound(q.cardNo) : noCardOfUser();
    const total = card.n;
    if (limit === 0 && total > this.config.TRANSACTIONS_UNPAGED_MAX) {
      throw new InvalidInputError('limit', `limit: ${total} transactions in range, more than ${this.config.TRANSACTIONS_UNPAGED_MAX} without paging; page with start and limit`);
    }
    const page = card.page ?? (await this.db.query(pageOf('$1', 4), [card.card_no, begin, end]))[0].page;
    return { total, entities: page.map((e: EntryTuple) => entity(e, byBooking)) };
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
