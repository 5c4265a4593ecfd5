import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { formatYuan } from '../common/money';
import { LedgerErrorCode } from './ledger.errors';

export type EntryKind = 'OPEN_DEPOSIT' | 'OPEN_FEE' | 'POS' | 'RECHARGE' | 'TRANSFER_OUT' | 'TRANSFER_REFUND';

/** The document's `description` (交易名称) per kind. */
export const ENTRY_DESCRIPTIONS: Record<EntryKind, string> = {
  OPEN_DEPOSIT: '开户存款',
  OPEN_FEE: '开户管理费',
  POS: '持卡人消费',
  RECHARGE: '在线充值',
  TRANSFER_OUT: '余额转结',
  TRANSFER_REFUND: '余额转结退款',
};

export interface Entry {
  cardNo: string;
  kind: EntryKind;
  /** Signed fen: credits positive, debits negative; never 0. */
  amountFen: number;
  system?: string;
  merchantNo?: string;
  merchant?: string;
  /** The order this entry settles (recharge, transfer); one entry per (kind, reference) ever. */
  reference?: string;
  /** When it happened (消费时间), if not now; booked (入账时间) is always now. */
  occurredAt?: Date;
}

export interface Posted {
  entryId: string;
  balanceFen: number;
  occurredAt: Date;
}

export interface PostRule {
  /** Refuse a lost or frozen card (purchases, transfers); credits of paid money pass regardless. */
  requireUsable: boolean;
}

type Runner = DataSource | EntityManager;

interface PostedRow {
  id: string;
  balance_after_fen: string;
  occurred_at: Date;
}

const posted = (row: PostedRow): Posted => ({ entryId: row.id, balanceFen: Number(row.balance_after_fen), occurredAt: row.occurred_at });

/**
 * The balance change and its entry, after a `change` CTE of (card_no, amount_fen, reference);
 * the entry's kind, occurred (null: now), system, merchant no, merchant and description are
 * parameters $first … $first+5. A usable card (not lost, not frozen) is required if asked.
 */
function balanceAndEntry(first: number, requireUsable: boolean): string {
  const p = (i: number) => `$${first + i}`;
  return `account AS (
         UPDATE card_account a SET balance_fen = a.balance_fen + c.amount_fen, updated_at = now()
           FROM change c
          WHERE a.card_no = c.card_no AND a.balance_fen + c.amount_fen >= 0 ${requireUsable ? 'AND NOT a.lost AND NOT a.frozen' : ''}
          RETURNING a.card_no, a.balance_fen, c.amount_fen, c.reference
       )
       INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, system, merchant_no, merchant, description, reference)
       SELECT card_no, ${p(0)}, amount_fen, balance_fen, coalesce(${p(1)}::timestamptz, now()), ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, reference FROM account
       RETURNING id, balance_after_fen, occurred_at`;
}

const entryParams = (entry: Pick<Entry, 'kind' | 'occurredAt' | 'system' | 'merchantNo' | 'merchant'>) => [
  entry.kind,
  entry.occurredAt ?? null,
  entry.system ?? '',
  entry.merchantNo ?? '',
  entry.merchant ?? '',
  ENTRY_DESCRIPTIONS[entry.kind],
];

/**
 * The one place a balance changes. Each change is ONE statement: a conditional UPDATE of the
 * account (the balance may not go below zero; a purchase needs a usable card) whose RETURNING
 * feeds the ledger INSERT, so the entry and the balance it produced commit together or not at
 * all, also when the statement runs alone (a POS purchase needs no explicit transaction).
 *
 * Concurrency: the UPDATE takes the account row's lock; a second writer on the same card waits
 * for it and Postgres re-checks the WHERE against the committed balance (READ COMMITTED's
 * re-evaluation), so two debits can never both pass on the same money, and `balance_after_fen`
 * is exactly the balance each entry produced. Chosen over SELECT … FOR UPDATE + UPDATE because it
 * is one round trip and the lock is held for one statement, not a read-decide-write conversation.
 * The table's CHECK (balance_fen >= 0) stays as a backstop.
 */
@Injectable()
export class Ledger {
  async post(runner: Runner, entry: Entry, rule: PostRule): Promise<Posted> {
    if (!Number.isSafeInteger(entry.amountFen) || entry.amountFen === 0) throw new Error(`ledger: amount ${entry.amountFen} fen is not a non-zero integer`);
    const rows: PostedRow[] = await runner.query(
      `WITH change AS (SELECT $1::text AS card_no, $2::bigint AS amount_fen, $3::text AS reference),
       ${balanceAndEntry(4, rule.requireUsable)}`,
      [entry.cardNo, entry.amountFen, entry.reference ?? null, ...entryParams(entry)],
    );
    if (rows.length === 1) return posted(rows[0]);
    throw await this.refusal(runner, entry, rule);
  }

  /**
   * Credits (money already paid: no usability rule) for every row `guard` changes — a
   * data-modifying statement RETURNING (card_no, amount_fen > 0, reference, occurred_at), e.g.
   * a group of recharge orders moving to RECHARGED — all in ONE statement, so a whole group is one
   * commit. The guard's rows are summed per card first (an aggregate reads all of them, so every
   * guard row lock is taken before any account's: the order the single-row statements and the
   * order transactions take them in), each account is updated once, and the entries of one card
   * are chained by reference: each `balance_after_fen` is the balance before plus the credits up
   * to and including it, in id order. Returns the references credited.
   */
  async creditEach(runner: Runner, guard: { sql: string; params: unknown[] }, entry: Pick<Entry, 'kind' | 'system' | 'merchantNo' | 'merchant'>): Promise<Set<string>> {
    const p = (i: number) => `$${guard.params.length + i}`;
    const rows: Array<{ reference: string }> = await runner.query(
      `WITH change AS (${guard.sql}),
       per_card AS (SELECT card_no, sum(amount_fen)::bigint AS amount_fen FROM change GROUP BY card_no),
       account AS (
         UPDATE card_account a SET balance_fen = a.balance_fen + s.amount_fen, updated_at = now()
           FROM per_card s
          WHERE a.card_no = s.card_no AND a.balance_fen + s.amount_fen >= 0
          RETURNING a.card_no, a.balance_fen - s.amount_fen AS before_fen
       ),
       entries AS (
         SELECT c.card_no, c.amount_fen, c.reference, c.occurred_at,
                a.before_fen + sum(c.amount_fen) OVER (PARTITION BY c.card_no ORDER BY c.reference ROWS UNBOUNDED PRECEDING) AS balance_after_fen
           FROM change c JOIN account a USING (card_no)
       )
       INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, system, merchant_no, merchant, description, reference)
       SELECT card_no, ${p(1)}, amount_fen, balance_after_fen, occurred_at, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, reference FROM entries
        ORDER BY card_no, reference
       RETURNING reference`,
      [...guard.params, entry.kind, entry.system ?? '', entry.merchantNo ?? '', entry.merchant ?? '', ENTRY_DESCRIPTIONS[entry.kind]],
    );
    return new Set(rows.map((r) => r.reference));
  }

  /** Why nothing was posted (read after the fact: it names the reason, it decides nothing). */
  private async refusal(runner: Runner, entry: Entry, rule: PostRule): Promise<AppError> {
    const [card] = await runner.query(`SELECT lost, frozen, balance_fen FROM card_account WHERE card_no = $1`, [entry.cardNo]);
    if (!card) return new AppError(ErrorKind.NOT_FOUND, LedgerErrorCode.CARD_NOT_FOUND, `cardNo: no card ${entry.cardNo}`, 'cardNo');
    if (rule.requireUsable && card.lost) return new AppError(ErrorKind.CONFLICT, LedgerErrorCode.CARD_LOST, `cardNo: card ${entry.cardNo} is reported lost`, 'cardNo');
    if (rule.requireUsable && card.frozen) return new AppError(ErrorKind.CONFLICT, LedgerErrorCode.CARD_FROZEN, `cardNo: card ${entry.cardNo} is frozen`, 'cardNo');
    return new AppError(
      ErrorKind.UNPROCESSABLE,
      LedgerErrorCode.INSUFFICIENT_BALANCE,
      `amount: balance ${formatYuan(card.balance_fen)} yuan is less than ${formatYuan(-entry.amountFen)} yuan`,
      'amount',
    );
  }
}
