import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { CardErrorCode } from './card.errors';

/** A card account row (校园卡账户) with its holder's name fields. */
export interface CardAccountRow {
  card_no: string;
  user_code: string;
  card_type: '800' | '801';
  card_id: string | null;
  expire_date: string;
  bank_no: string;
  balance_fen: string;
  trans_balance_fen: string;
  lost: boolean;
  frozen: boolean;
  open_amount_fen: string;
  name: string;
  organize: string;
  user_type: string;
}

export type Runner = DataSource | EntityManager;

const SELECT = `SELECT a.card_no, a.user_code, a.card_type, a.card_id, a.expire_date, a.bank_no, a.balance_fen, a.trans_balance_fen,
                       a.lost, a.frozen, a.open_amount_fen, u.name, u.organize, u.user_type
                  FROM card_account a JOIN campus_user u USING (user_code)`;

/** The user's cards, oldest first (the document's "random" card when none is named is the first). */
export async function cardsOfUser(runner: Runner, userCode: string): Promise<CardAccountRow[]> {
  return runner.query(`${SELECT} WHERE a.user_code = $1 ORDER BY a.opened_at, a.card_no`, [userCode]);
}

export async function findCard(runner: Runner, cardNo: string, lock = false): Promise<CardAccountRow | undefined> {
  const [row] = await runner.query(`${SELECT} WHERE a.card_no = $1 ${lock ? 'FOR UPDATE OF a' : ''}`, [cardNo]);
  return row;
}

export async function findCardById(runner: Runner, cardId: string): Promise<CardAccountRow | undefined> {
  const [row] = await runner.query(`${SELECT} WHERE a.card_id = $1`, [cardId]);
  return row;
}

/**
 * The token's cardholder's card: the one named, or their first when none is (the document: "若用户
 * 有多张校园卡,随机确定"). Another person's card is answered as not found, never shown.
 */
export async function ownCard(runner: Runner, userCode: string, cardNo: string | undefined, lock = false): Promise<CardAccountRow> {
  if (cardNo !== undefined) {
    const card = await findCard(runner, cardNo, lock);
    if (!card || card.user_code !== userCode) throw cardNotFound(cardNo);
    return card;
  }
  const [first] = await cardsOfUser(runner, userCode);
  if (!first) throw noCardOfUser();
  return lock ? ((await findCard(runner, first.card_no, true)) as CardAccountRow) : first;
}

export function noCardOfUser(): AppError {
  return new AppError(ErrorKind.NOT_FOUND, CardErrorCode.CARD_NOT_FOUND, 'cardNo: this user has no campus card', 'cardNo');
}

export function cardNotFound(cardNo: string, field = 'cardNo'): AppError {
  return new AppError(ErrorKind.NOT_FOUND, CardErrorCode.CARD_NOT_FOUND, `${field}: no card ${cardNo}`, field);
}
