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
    const rows: Array<{ id: string; balance_after_fen: string; occurred_at: Date }> = await runner.query(
      `WITH account AS (
         UPDATE card_account SET balance_fen = balance_fen + $2, updated_at = now()
          WHERE card_no = $1 AND balance_fen + $2 >= 0 ${rule.requireUsable ? 'AND NOT lost AND NOT frozen' : ''}
          RETURNING card_no, balance_fen
       )
       INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, system, merchant_no, merchant, description, reference)
       SELECT card_no, $3, $2, balance_fen, coalesce($4::timestamptz, now()), $5, $6, $7, $8, $9 FROM account
       RETURNING id, balance_after_fen, occurred_at`,
      [
        entry.cardNo,
        entry.amountFen,
        entry.kind,
        entry.occurredAt ?? null,
        entry.system ?? '',
        entry.merchantNo ?? '',
        entry.merchant ?? '',
        ENTRY_DESCRIPTIONS[entry.kind],
        entry.reference ?? null,
      ],
    );
    if (rows.length === 1) return { entryId: rows[0].id, balanceFen: Number(rows[0].balance_after_fen), occurredAt: rows[0].occurred_at };
    throw await this.refusal(runner, entry, rule);
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
