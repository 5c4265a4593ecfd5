import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind, keyOrDevelopmentKey } from '@onecard/kernel';
import { GroupCommit, parseWireTime } from '@onecard/platform';
import { formatYuan, yuanToFen } from '../common/money';
import { CampusCardConfig } from '../config';
import { Ledger } from '../ledger/ledger';
import { PaymentNotifyDto } from './dto/recharge.dto';
import { notificationSignatureValid } from './payment-sign';
import { RECHARGE_FAILURES, RechargeStatus } from './recharge-status';
import { RechargeErrorCode } from './recharge.errors';

const ORDER_COLUMNS = 'id, card_no, status, apply_amount_fen, recharge_amount_fen, expire_time, failed_reason';

/** Awaiting payment (PAY_FAILED too: a payment confirmed later is still credited); every other state is final. */
const isOpen = (order: LockedOrder) => order.status === 'PAY_PENDING' || order.status === 'PAY_FAILED';

/** A notification of a payment in full and in time, as the group statement reads it. */
interface Credit {
  /** The order id as Postgres prints it. */
  id: string;
  paidFen: number;
  payTimeMs: number;
}

/** The group's orders paid in full and in time moved to RECHARGED (Ledger.creditEach's guard). */
const CREDIT_GROUP = `
  UPDATE recharge_order o SET status = 'RECHARGED', recharge_amount_fen = o.apply_amount_fen, pay_time = n.pay_time, failed_reason = NULL, recharged_at = now(), updated_at = now()
    FROM (SELECT id, "paidFen", to_timestamp("payTimeMs" / 1000) AS pay_time FROM json_to_recordset($1::json) AS t(id bigint, "paidFen" bigint, "payTimeMs" float8)) n
   WHERE o.id = n.id AND o.status IN ('PAY_PENDING', 'PAY_FAILED') AND o.apply_amount_fen = n."paidFen" AND o.expire_time >= n.pay_time
   RETURNING o.card_no, o.apply_amount_fen AS amount_fen, o.id::text AS reference, o.pay_time AS occurred_at`;

interface LockedOrder {
  id: string;
  card_no: string;
  status: RechargeStatus;
  apply_amount_fen: string;
  recharge_amount_fen: string | null;
  expire_time: Date;
  failed_reason: string | null;
}

/**
 * POST /v1/payment/notify: the payment system reports an order paid (or not). The signature
 * is checked first (a forged notification changes nothing). Payments in full and in time are
 * credited by one statement per group of notifications arriving together (creditGroup: one commit,
 * one WAL flush, for the group; each answered after it); anything else is decided in a
 * transaction holding the order's row lock. Either way deliveries of the same notification, however many and however
 * concurrent, queue on that row's lock, and every one after the first finds the order settled and
 * changes nothing (the ledger's unique (kind, reference) backs this up). The answer to a repeat is
 * the answer to the first.
 */
@Injectable()
export class PaymentNotifyService {
  private readonly logger = new Logger('payment-notify');
  private readonly secret: string;

  private readonly credits: GroupCommit<Credit, boolean>;

  constructor(
    private readonly db: DataSource,
    private readonly ledger: Ledger,
    private readonly config: CampusCardConfig,
  ) {
    this.secret = keyOrDevelopmentKey(config, 'PAYMENT_SECRET', config.PAYMENT_SECRET);
    // One writer: groups never wait on each other's locks (a second one would take accounts' row
    // locks in its own order).
    this.credits = new GroupCommit({
      name: 'payment notifications',
      busyMessage: 'busy crediting earlier notifications; notify again shortly',
      maxBatch: config.PAYMENT_NOTIFY_MAX_GROUP,
      maxPending: 20 * config.PAYMENT_NOTIFY_MAX_GROUP,
      writers: 1,
      write: (credits) => this.creditGroup(credits),
    });
  }

  async notify(n: PaymentNotifyDto): Promise<void> {
    if (!notificationSignatureValid(this.secret, n, n.sign)) {
      throw new AppError(ErrorKind.FORBIDDEN, RechargeErrorCode.SIGN_MISMATCH, 'sign: does not match id|amount|payTime|status', 'sign');
    }
    const payTime = parseWireTime(n.payTime, this.config.WIRE_TIME_ZONE) as Date;
    const paidFen = yuanToFen(Number(n.amount));
    if (n.status === 'SUCCESS' && (await this.credits.submit({ id: BigInt(n.id).toString(), paidFen, payTimeMs: payTime.getTime() }))) {
      this.logger.log(`recharge order ${n.id} paid and credited (${formatYuan(paidFen)} yuan)`);
      return;
    }
    // A repeat for an order settled for good is answered from its committed row: a recharge order
    // never leaves a state other than PAY_PENDING and PAY_FAILED, so waiting for the row's lock
    // (a transaction and its commit) could not change the answer.
    const [seen]: LockedOrder[] = await this.db.query(`SELECT ${ORDER_COLUMNS} FROM recharge_order WHERE id = $1`, [n.id]);
    if (seen && !isOpen(seen)) {
      const answer = this.settledAnswer(n.status, seen, paidFen);
      if (answer) throw answer;
      return;
    }
    const refusal = await this.db.transaction(async (m) => {
      const [order]: LockedOrder[] = await m.query(`SELECT ${ORDER_COLUMNS} FROM recharge_order WHERE id = $1 FOR UPDATE`, [n.id]);
      if (!order) throw new AppError(ErrorKind.NOT_FOUND, RechargeErrorCode.ORDER_NOT_FOUND, `id: no recharge order ${n.id}`, 'id');
      return n.status === 'SUCCESS' ? this.paid(m, order, paidFen, payTime) : this.notPaid(m, order);
    });
    // Refusals that settled the order are committed with it, and answered after.
    if (refusal) throw refusal;
  }

  /**
   * The common case for a whole group in one statement (one commit): each order of the group
   * paid in full and in time moves to RECHARGED and is credited (its row lock, the balance, the
   * entry). Per notification, false when it does not apply (a repeat, a settled order, another
   * amount, late, an order already in this group): the order's transaction then decides it, after
   * this commit. Should the statement fail, nothing of the group changed, and each is decided
   * that way on its own, so one notification cannot take the others down.
   */
  private async creditGroup(credits: Credit[]): Promise<boolean[]> {
    const firsts = new Map<string, Credit>();
    for (const c of credits) if (!firsts.has(c.id)) firsts.set(c.id, c);
    // In id order, so groups take the orders' row locks in one order.
    const group = [...firsts.values()].sort((a, b) => (a.id.length - b.id.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let credited: Set<string>;
    try {
      credited = await this.ledger.creditEach(this.db, { sql: CREDIT_GROUP, params: [JSON.stringify(group)] }, { kind: 'RECHARGE' });
    } catch (error) {
      this.logger.warn(`a group of ${group.length} payment notifications was not credited at once (${(error as Error).message}); deciding each on its own`);
      return credits.map(() => false);
    }
    return credits.map((c) => firsts.get(c.id) === c && credited.has(c.id));
  }

  /** The answer for an order no notification changes any more (not open): the first one's. */
  private settledAnswer(status: PaymentNotifyDto['status'], order: LockedOrder, paidFen: number): AppError | undefined {
    if (status === 'SUCCESS' && order.status === 'RECHARGED') return Number(order.recharge_amount_fen) === paidFen ? undefined : this.settled(order);
    if (status === 'SUCCESS' && order.status === 'RECHARGE_FAILED') return this.failedAgain(order, paidFen);
    return this.settled(order);
  }

  private async paid(m: EntityManager, order: LockedOrder, paidFen: number, payTime: Date): Promise<AppError | undefined> {
    const applied = Number(order.apply_amount_fen);
    if (!isOpen(order)) return this.settledAnswer('SUCCESS', order, paidFen);
    // A payment the payment system confirms is credited even if the order had been swept as
    // unpaid meanwhile: what counts is that it was paid before expireTime.
    if (paidFen !== applied) {
      await this.fail(m, order.id, paidFen, payTime, RECHARGE_FAILURES.amountMismatch(formatYuan(paidFen), formatYuan(applied)));
      return this.failedAgain({ ...order, status: 'RECHARGE_FAILED' }, paidFen);
    }
    if (payTime > order.expire_time) {
      await this.fail(m, order.id, paidFen, payTime, RECHARGE_FAILURES.paidLate);
      return this.failedAgain({ ...order, status: 'RECHARGE_FAILED', failed_reason: RECHARGE_FAILURES.paidLate }, paidFen);
    }
    await this.ledger.post(m, { cardNo: order.card_no, kind: 'RECHARGE', amountFen: applied, reference: order.id, occurredAt: payTime }, { requireUsable: false });
    await m.query(
      `UPDATE recharge_order SET status = 'RECHARGED', recharge_amount_fen = $2, pay_time = $3, failed_reason = NULL, recharged_at = now(), updated_at = now() WHERE id = $1`,
      [order.id, paidFen, payTime],
    );
    this.logger.log(`recharge order ${order.id} paid and credited (${formatYuan(applied)} yuan)`);
    return undefined;
  }

  /** The payment failed: an unpaid order is closed as PAY_FAILED; a settled one stays as it is. */
  private async notPaid(m: EntityManager, order: LockedOrder): Promise<AppError | undefined> {
    if (order.status === 'PAY_PENDING') {
      await m.query(`UPDATE recharge_order SET status = 'PAY_FAILED', failed_reason = $2, updated_at = now() WHERE id = $1`, [order.id, RECHARGE_FAILURES.payFailed]);
      return undefined;
    }
    return order.status === 'PAY_FAILED' ? undefined : this.settledAnswer('FAILED', order, 0);
  }

  private async fail(m: EntityManager, id: string, paidFen: number, payTime: Date, reason: string): Promise<void> {
    this.logger.warn(`recharge order ${id} paid but not credited: ${reason}`);
    await m.query(
      `UPDATE recharge_order SET status = 'RECHARGE_FAILED', recharge_amount_fen = $2, pay_time = $3, failed_reason = $4, updated_at = now() WHERE id = $1`,
      [id, paidFen, payTime, reason],
    );
  }

  /** The answer for an order paid but refused (amount or time), the same at every delivery. */
  private failedAgain(order: LockedOrder, paidFen: number): AppError {
    if (order.failed_reason === RECHARGE_FAILURES.paidLate) {
      return new AppError(ErrorKind.UNPROCESSABLE, RechargeErrorCode.PAID_LATE, `payTime: after the order's expireTime; order ${order.id} is RECHARGE_FAILED`, 'payTime');
    }
    return new AppError(
      ErrorKind.UNPROCESSABLE,
      RechargeErrorCode.AMOUNT_MISMATCH,
      `amount: paid ${formatYuan(paidFen)} yuan, order ${order.id} applied for ${formatYuan(order.apply_amount_fen)}; it is RECHARGE_FAILED`,
      'amount',
    );
  }

  private settled(order: LockedOrder): AppError {
    return new AppError(ErrorKind.CONFLICT, RechargeErrorCode.ORDER_SETTLED, `id: order ${order.id} is already ${order.status}`, 'id');
  }
}
