import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind, keyOrDevelopmentKey } from '@onecard/kernel';
import { adminPage, AdminPage, PageWindow } from '@onecard/platform';
import { ownCard } from '../cards/card-account';
import { fenToYuan } from '../common/money';
import { wireTime } from '../common/wire-format';
import { CampusCardConfig } from '../config';
import type { Caller } from '../oauth/api-token.guard';
import type { CardApiResult } from '../wire/card-api-envelope';
import { RechargeQuery, SubmitRechargeDto } from './dto/recharge.dto';
import { billPostData, BillSettings } from './payment-sign';
import { RechargeErrorCode } from './recharge.errors';
import { PAID_NOT_RECHARGED, RECHARGE_STATUS_NAMES, RechargeStatus } from './recharge-status';

export interface RechargeOrderRow {
  id: string;
  card_no: string;
  apply_amount_fen: string;
  apply_time: Date;
  expire_time: Date;
  serial_no: string;
  status: RechargeStatus;
  recharge_amount_fen: string | null;
  pay_time: Date | null;
  failed_reason: string | null;
  payable: boolean;
}

/** Columns of an order as rendered; `payable` says whether postUrl/postData are offered. */
export const ORDER_COLUMNS = `id, card_no, apply_amount_fen, apply_time, expire_time, serial_no, status, recharge_amount_fen, pay_time, failed_reason,
  (status = 'PAY_PENDING' AND expire_time > now()) AS payable`;

/**
 * 提交充值请求 / 查询充值请求: recharge orders of the cardholder's own cards. An order waits
 * RECHARGE_PAY_MINUTES for the payment system's notification (payment-notify.service.ts), which
 * credits it exactly once.
 */
@Injectable()
export class RechargeService {
  private readonly bill: BillSettings;

  constructor(
    private readonly db: DataSource,
    private readonly config: CampusCardConfig,
  ) {
    this.bill = {
      secret: keyOrDevelopmentKey(config, 'PAYMENT_SECRET', config.PAYMENT_SECRET),
      sysid: config.PAYMENT_SYSID,
      subsysid: config.PAYMENT_SUBSYSID,
      feeItemId: config.PAYMENT_FEE_ITEM_ID,
      returnUrl: config.PAYMENT_RETURN_URL,
    };
  }

  async submit(userCode: string, dto: SubmitRechargeDto, caller: Caller): Promise<CardApiResult> {
    if (dto.amount > this.config.RECHARGE_MAX_YUAN) {
      throw new AppError(ErrorKind.INVALID_INPUT, RechargeErrorCode.AMOUNT_TOO_LARGE, `amount: at most ${this.config.RECHARGE_MAX_YUAN} yuan per recharge`, 'amount');
    }
    const card = await ownCard(this.db, userCode, dto.cardNo);
    if (card.frozen) throw new AppError(ErrorKind.CONFLICT, RechargeErrorCode.CARD_FROZEN, `cardNo: card ${card.card_no} is frozen`, 'cardNo');
    const [order]: RechargeOrderRow[] = await this.db.query(
      `INSERT INTO recharge_order (card_no, user_code, client_id, apply_amount_fen, expire_time, serial_no, status)
       VALUES ($1, $2, $3, $4, now() + $5 * interval '1 minute',
               to_char(now() AT TIME ZONE $6, 'YYYYMMDD') || lpad(nextval('recharge_serial_seq')::text, 10, '0'), 'PAY_PENDING')
       RETURNING ${ORDER_COLUMNS}`,
      [card.card_no, userCode, caller.clientId, dto.amount * 100, this.config.RECHARGE_PAY_MINUTES, this.config.WIRE_TIME_ZONE],
    );
    return { total: 1, entities: [this.entity(order)] };
  }

  /** One order by id, or the card's paid orders not yet recharged (the document's rule without id). */
  async query(userCode: string, query: RechargeQuery): Promise<CardApiResult> {
    const card = await ownCard(this.db, userCode, query.cardNo);
    if (query.id !== undefined) {
      const [order]: RechargeOrderRow[] = await this.db.query(`SELECT ${ORDER_COLUMNS} FROM recharge_order WHERE id = $1 AND card_no = $2`, [query.id, card.card_no]);
      if (!order) throw new AppError(ErrorKind.NOT_FOUND, RechargeErrorCode.ORDER_NOT_FOUND, `id: no recharge order ${query.id} of card ${card.card_no}`, 'id');
      return { total: 1, entities: [this.entity(order)] };
    }
    const orders: RechargeOrderRow[] = await this.db.query(
      `SELECT ${ORDER_COLUMNS} FROM recharge_order WHERE card_no = $1 AND status = ANY($2) ORDER BY id DESC`,
      [card.card_no, PAID_NOT_RECHARGED],
    );
    return { total: orders.length, entities: orders.map((o) => this.entity(o)) };
  }

  /** Operators: orders newest first, of one card and/or in one status (e.g. RECHARGE_FAILED ones awaiting a refund). */
  async list(filter: { cardNo?: string; status?: RechargeStatus }, window: PageWindow): Promise<AdminPage<object>> {
    const where = `($1::text IS NULL OR card_no = $1) AND ($2::text IS NULL OR status = $2)`;
    const params = [filter.cardNo ?? null, filter.status ?? null];
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM recharge_order WHERE ${where}`, params);
    const orders: RechargeOrderRow[] = await this.db.query(`SELECT ${ORDER_COLUMNS} FROM recharge_order WHERE ${where} ORDER BY id DESC LIMIT $3 OFFSET $4`, [
      ...params,
      window.limit,
      window.offset,
    ]);
    return adminPage(window, total, orders.map((o) => this.entity(o)));
  }

  /** 校园卡充值请求信息, in the document's field order; absent facts are left out, as in its example. */
  entity(o: RechargeOrderRow): object {
    const zone = this.config.WIRE_TIME_ZONE;
    const out: Record<string, unknown> = {
      id: Number(o.id),
      cardNo: o.card_no,
      applyAmount: fenToYuan(o.apply_amount_fen),
      applyTime: wireTime(o.apply_time, zone),
      expireTime: wireTime(o.expire_time, zone),
    };
    if (o.recharge_amount_fen !== null) out.rechargeAmount = fenToYuan(o.recharge_amount_fen);
    if (o.pay_time) out.payTime = wireTime(o.pay_time, zone);
    out.serialNo = o.serial_no;
    out.status = { code: o.status, name: RECHARGE_STATUS_NAMES[o.status] };
    if (o.failed_reason) out.failedReason = o.failed_reason;
    if (o.payable) {
      out.postUrl = this.config.PAYMENT_POST_URL;
      out.postData = billPostData(this.bill, o.id, o.card_no, o.apply_amount_fen);
    }
    return out;
  }
}
