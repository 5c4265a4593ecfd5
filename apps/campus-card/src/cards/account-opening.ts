import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { formatYuan } from '../common/money';
import { CampusCardConfig } from '../config';
import { Ledger } from '../ledger/ledger';
import { UsersService } from '../users/users.service';
import { CardAccountRow, findCard } from './card-account';
import { CardErrorCode } from './card.errors';

export interface AccountRequest {
  userCode: string;
  cardType: '800' | '801';
  /** yyyyMMdd */
  expireDate: string;
  openAmountFen: number;
  free: boolean;
  /** Who opened it, for operators: `client:<clientId>` or `order:<orderId>`. */
  openedBy: string;
  /** The account number to use (a kiosk-issued card's printed number), when free; generated otherwise. */
  cardNo?: string;
  /** The physical card the caller binds next (kiosk-issued), announced with the opening. */
  cardId?: string;
}

/**
 * Opens card accounts: one per user and card type (a UNIQUE constraint), so a repeated request
 * finds the account it opened instead of opening another, also when two race. The opening
 * deposit and the account fee are ledger entries of the same transaction, and account.opened
 * goes out through the outbox with it. The account starts with its holder's query password.
 */
@Injectable()
export class AccountOpening {
  private readonly logger = new Logger('account-opening');

  constructor(
    private readonly users: UsersService,
    private readonly ledger: Ledger,
    private readonly outbox: Outbox,
    private readonly config: CampusCardConfig,
  ) {}

  async open(m: EntityManager, request: AccountRequest): Promise<{ card: CardAccountRow; created: boolean }> {
    const user = await this.users.get(request.userCode, m);
    const feeFen = request.free ? 0 : this.config.OPEN_ACCOUNT_FEE_FEN;
    if (request.openAmountFen < feeFen) {
      throw new AppError(
        ErrorKind.UNPROCESSABLE,
        CardErrorCode.OPEN_AMOUNT_BELOW_FEE,
        `openAmount: must cover the account fee of ${formatYuan(feeFen)} yuan (or free=true)`,
        'openAmount',
      );
    }
    let cardNo = await this.insert(m, request, request.cardNo);
    const existing = cardNo ? undefined : await this.existing(m, request);
    if (existing) return { card: existing, created: false };
    if (!cardNo) {
      // The wanted number belongs to another account: the account gets one of ours.
      this.logger.warn(`card number ${request.cardNo} is taken; account for ${request.userCode} gets a generated one`);
      cardNo = await this.insert(m, request, undefined);
      if (!cardNo) throw new Error(`account for ${request.userCode} could not be opened`);
    }
    if (request.openAmountFen > 0) await this.ledger.post(m, { cardNo, kind: 'OPEN_DEPOSIT', amountFen: request.openAmountFen }, { requireUsable: false });
    if (feeFen > 0) await this.ledger.post(m, { cardNo, kind: 'OPEN_FEE', amountFen: -feeFen }, { requireUsable: false });
    await this.outbox.add(m, Events.AccountOpened, { cardNo, userCode: user.userCode, userName: user.name, cardType: request.cardType, expireDate: request.expireDate, ...(request.cardId ? { cardId: request.cardId } : {}) });
    return { card: (await findCard(m, cardNo)) as CardAccountRow, created: true };
  }

  /** The new account's number, or undefined when a unique constraint (user and type, or the number) stood in the way. */
  private async insert(m: EntityManager, request: AccountRequest, cardNo: string | undefined): Promise<string | undefined> {
    const [row] = await m.query(
      `INSERT INTO card_account (card_no, user_code, card_type, expire_date, open_amount_fen, fee_waived, opened_by, query_password_hash)
       SELECT coalesce($1, nextval('card_no_seq')::text), user_code, $3, $4, $5, $6, $7, query_password_hash FROM campus_user WHERE user_code = $2
       ON CONFLICT DO NOTHING
       RETURNING card_no`,
      [cardNo ?? null, request.userCode, request.cardType, request.expireDate, request.openAmountFen, request.free, request.openedBy],
    );
    return row?.card_no;
  }

  private async existing(m: EntityManager, request: AccountRequest): Promise<CardAccountRow | undefined> {
    const [row] = await m.query(`SELECT card_no FROM card_account WHERE user_code = $1 AND card_type = $2`, [request.userCode, request.cardType]);
    return row ? findCard(m, row.card_no) : undefined;
  }
}
