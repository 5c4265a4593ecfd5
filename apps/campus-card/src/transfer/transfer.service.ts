import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { adminPage, AdminPage, pageWindow } from '@onecard/platform';
import { ownCard } from '../cards/card-account';
import { QueryPasswords } from '../cards/query-passwords';
import { fenToYuan, yuanToFen } from '../common/money';
import { wireTime } from '../common/wire-format';
import { CampusCardConfig } from '../config';
import { Ledger } from '../ledger/ledger';
import type { Caller } from '../oauth/api-token.guard';
import type { CardApiResult } from '../wire/card-api-envelope';
import { SubmitTransferDto, TransferListQuery } from './dto/transfer.dto';
import { OPEN_TRANSFER_STATUSES, TRANSFER_STATUS_NAMES, TransferStatus } from './transfer-status';
import { TransferErrorCode } from './transfer.errors';

interface TransferRow {
  id: string;
  card_no: string;
  amount_fen: string;
  status: TransferStatus;
  pay_time: Date | null;
  recharge_time: Date | null;
  refund_time: Date | null;
}

/**
 * 校园卡余额转结 to the 思源码 wallet. Submitting takes the amount off the card at once (a
 * TRANSFER_OUT ledger entry in the order's transaction: the funds are held by the order, never
 * spendable twice); the wallet's side is reported by operators (or the wallet's integration)
 * through /admin/transfers: recharged, or refunded (a TRANSFER_REFUND entry gives the money back).
 */
@Injectable()
export class TransferService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: Ledger,
    private readonly passwords: QueryPasswords,
    private readonly config: CampusCardConfig,
  ) {}

  async open(userCode: string, cardNo: string | undefined): Promise<CardApiResult> {
    const card = await ownCard(this.db, userCode, cardNo);
    return this.openOrders(card.card_no);
  }

  async submit(userCode: string, dto: SubmitTransferDto, caller: Caller): Promise<CardApiResult> {
    const card = await ownCard(this.db, userCode, dto.cardNo);
    await this.passwords.verify(card.card_no, dto.queryPassword);
    const amountFen = yuanToFen(dto.amount);
    await this.db.transaction(async (m) => {
      const [order] = await m.query(
        `INSERT INTO transfer_order (card_no, user_code, client_id, amount_fen, status, pay_time) VALUES ($1, $2, $3, $4, 'RECHARGE_PENDING', now()) RETURNING id`,
        [card.card_no, userCode, caller.clientId, amountFen],
      );
      // Refused (short balance, lost or frozen card): the order goes with the rollback.
      await this.ledger.post(m, { cardNo: card.card_no, kind: 'TRANSFER_OUT', amountFen: -amountFen, reference: order.id, merchant: '思源码钱包' }, { requireUsable: true });
    });
    return this.openOrders(card.card_no);
  }

  /** Operators: newest first. */
  async list(query: TransferListQuery): Promise<AdminPage<object>> {
    const window = pageWindow(query);
    const where = `($1::text IS NULL OR card_no = $1) AND ($2::text IS NULL OR status = $2)`;
    const params = [query.cardNo ?? null, query.status ?? null];
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM transfer_order WHERE ${where}`, params);
    const rows: TransferRow[] = await this.db.query(`SELECT * FROM transfer_order WHERE ${where} ORDER BY id DESC LIMIT $3 OFFSET $4`, [...params, window.limit, window.offset]);
    return adminPage(window, total, rows.map((r) => this.entity(r)));
  }

  /** The wallet took the order in hand (RECHARGING). */
  recharging(id: string): Promise<object> {
    return this.move(id, ['RECHARGE_PENDING'], async (m) => {
      await m.query(`UPDATE transfer_order SET status = 'RECHARGING', updated_at = now() WHERE id = $1`, [id]);
    });
  }

  /** The wallet was credited (RECHARGED). */
  recharged(id: string): Promise<object> {
    return this.move(id, ['RECHARGE_PENDING', 'RECHARGING'], async (m) => {
      await m.query(`UPDATE transfer_order SET status = 'RECHARGED', recharge_time = now(), updated_at = now() WHERE id = $1`, [id]);
    });
  }

  /** The transfer is cancelled: the held amount goes back to the card (REFUNDED). */
  refund(id: string): Promise<object> {
    return this.move(id, ['PAY_PENDING', 'RECHARGE_PENDING', 'RECHARGING', 'REFUND_PENDING', 'REFUND_FAILED'], async (m, order) => {
      await this.ledger.post(m, { cardNo: order.card_no, kind: 'TRANSFER_REFUND', amountFen: Number(order.amount_fen), reference: order.id, merchant: '思源码钱包' }, { requireUsable: false });
      await m.query(`UPDATE transfer_order SET status = 'REFUNDED', refund_time = now(), updated_at = now() WHERE id = $1`, [id]);
    });
  }

  private async move(id: string, from: TransferStatus[], apply: (m: EntityManager, order: TransferRow) => Promise<void>): Promise<object> {
    if (!/^\d{1,18}$/.test(id)) throw this.notFound(id);
    return this.db.transaction(async (m) => {
      const [order]: TransferRow[] = await m.query(`SELECT * FROM transfer_order WHERE id = $1 FOR UPDATE`, [id]);
      if (!order) throw this.notFound(id);
      if (!from.includes(order.status)) throw new AppError(ErrorKind.CONFLICT, TransferErrorCode.ORDER_SETTLED, `id: transfer order ${id} is ${order.status}`, 'id');
      await apply(m, order);
      const [updated]: TransferRow[] = await m.query(`SELECT * FROM transfer_order WHERE id = $1`, [id]);
      return this.entity(updated);
    });
  }

  private async openOrders(cardNo: string): Promise<CardApiResult> {
    const rows: TransferRow[] = await this.db.query(`SELECT * FROM transfer_order WHERE card_no = $1 AND status = ANY($2) ORDER BY id`, [cardNo, OPEN_TRANSFER_STATUSES]);
    return { total: rows.length, entities: rows.map((r) => this.entity(r)) };
  }

  /** Transfer Order (转结订单信息), in the document's order; times not yet reached are left out. */
  private entity(r: TransferRow): object {
    const zone = this.config.WIRE_TIME_ZONE;
    const out: Record<string, unknown> = {
      id: Number(r.id),
      cardNo: r.card_no,
      amount: fenToYuan(r.amount_fen),
      status: { code: r.status, name: TRANSFER_STATUS_NAMES[r.status] },
    };
    if (r.pay_time) out.payTime = wireTime(r.pay_time, zone);
    if (r.recharge_time) out.rechargeTime = wireTime(r.recharge_time, zone);
    if (r.refund_time) out.refundTime = wireTime(r.refund_time, zone);
    return out;
  }

  private notFound(id: string): AppError {
    return new AppError(ErrorKind.NOT_FOUND, TransferErrorCode.ORDER_NOT_FOUND, `id: no transfer order ${id}`, 'id');
  }
}
