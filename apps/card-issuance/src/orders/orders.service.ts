import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { adminPage, AdminPage, formatWireTime, pageWindow } from '@onecard/platform';
import { CardKeyring } from '../card-keys/card-keyring';
import { wireTime } from '../common/wire-format';
import { CardIssuanceConfig } from '../config';
import { formatCardNo, formatOrderId } from './card-number';
import { CardOrder, OrderStatus } from './card-order.entity';
import { CreateOrderDto, OrderListQuery } from './dto/order.dto';
import { OrderErrorCode } from './order.errors';
import { newPickupCode, pickupExpiry } from './pickup-code';
import { PickupCodeHasher } from './pickup-code-hash';

/** Operators' side of orders: create (with a pickup code shown once), list, cancel, new code. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(CardOrder) private readonly orders: Repository<CardOrder>,
    private readonly keyring: CardKeyring,
    private readonly config: CardIssuanceConfig,
    private readonly hasher: PickupCodeHasher,
  ) {}

  async create(dto: CreateOrderDto): Promise<{ orderId: string; pickupCode: string }> {
    this.keyring.assertProject(dto.projectId);
    const pickupCode = newPickupCode();
    const now = new Date();
    const orderId = await this.db.transaction(async (m) => {
      const cardNo = await this.allocateCardNo(m, dto.projectId);
      const [{ seq }] = await m.query(`SELECT nextval('card_order_seq') AS seq`);
      const id = formatOrderId(formatWireTime(now, 'yyyyMMdd', this.config.WIRE_TIME_ZONE), seq);
      await m.query(
        `INSERT INTO card_order (order_id, order_type, project_id, user_id, user_name, id_card, phone_number, company_id, company_name,
           card_face_path, card_back_path, card_no, pickup_code_hash, pickup_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [id, dto.orderType, dto.projectId, dto.userId, dto.userName, dto.idCard, dto.phoneNumber, dto.companyId, dto.companyName,
          dto.cardFacePath, dto.cardBackPath, cardNo, this.hasher.hash(id, pickupCode), pickupExpiry(now, this.config.PICKUP_CODE_TTL_HOURS)],
      );
      return id;
    });
    return { orderId, pickupCode };
  }

  /** Next card number of the project (a row lock per project; a new project gets the next project number). */
  private async allocateCardNo(m: EntityManager, projectId: string): Promise<string> {
    const bump = () => m.query(`UPDATE project_card_counter SET last_seq = last_seq + 1 WHERE project_id = $1 RETURNING project_no, last_seq`, [projectId]);
    let [rows] = await bump();
    if (rows.length === 0) {
      await m.query(`INSERT INTO project_card_counter (project_id) VALUES ($1) ON CONFLICT (project_id) DO NOTHING`, [projectId]);
      [rows] = await bump();
    }
    return formatCardNo(rows[0].project_no, rows[0].last_seq);
  }

  /** Newest first; `total` counts every order the filters match. */
  async list(query: OrderListQuery): Promise<AdminPage<object>> {
    const where: FindOptionsWhere<CardOrder> = {};
    if (query.status) where.status = query.status;
    if (query.projectId) where.projectId = query.projectId;
    if (query.phoneNumber) where.phoneNumber = query.phoneNumber;
    const window = pageWindow(query);
    const [rows, total] = await this.orders.findAndCount({ where, order: { createdAt: 'DESC', orderId: 'DESC' }, take: window.limit, skip: window.offset });
    return adminPage(window, total, rows.map((o) => this.view(o)));
  }

  /**
   * One order, with its personalisation sessions newest first (the last 10): an operator sees
   * which kiosk and card are at it, why a run failed, and a card that reached FINISHED but was
   * never reported by finish (the order stays PENDING then).
   */
  async get(orderId: string): Promise<object> {
    const order = await this.find(orderId);
    const sessions: Array<Record<string, string | Date | null>> = await this.db.query(
      `SELECT status, machine_no, uid, failure, created_at, updated_at FROM personalisation_session WHERE order_id = $1 ORDER BY id DESC LIMIT 10`,
      [orderId],
    );
    const zone = this.config.WIRE_TIME_ZONE;
    return {
      ...this.view(order),
      sessions: sessions.map((r) => ({
        status: r.status, machineNo: r.machine_no, uid: r.uid, failure: r.failure,
        startedAt: wireTime(r.created_at as Date, zone), updatedAt: wireTime(r.updated_at as Date, zone),
      })),
    };
  }

  /** Cancels a pending order and closes its open personalisation session; a cancelled one stays cancelled. */
  async cancel(orderId: string): Promise<object> {
    await this.db.transaction(async (m) => {
      const [order] = await m.query(`SELECT status FROM card_order WHERE order_id = $1 FOR UPDATE`, [orderId]);
      if (!order) throw this.notFound(orderId);
      if (order.status === OrderStatus.FINISHED) throw new AppError(ErrorKind.CONFLICT, OrderErrorCode.ORDER_FINISHED, `orderId: order ${orderId} is finished and cannot be cancelled`, 'orderId');
      if (order.status === OrderStatus.CANCELLED) return;
      await m.query(`UPDATE card_order SET status = 'CANCELLED', cancelled_at = now(), updated_at = now() WHERE order_id = $1`, [orderId]);
      await this.closeSessions(m, orderId, 'order cancelled');
    });
    return this.get(orderId);
  }

  /** A new pickup code (shown once) for a pending order; the old one and any kiosk claim are void. */
  async renewPickupCode(orderId: string): Promise<{ orderId: string; pickupCode: string }> {
    const pickupCode = newPickupCode();
    await this.db.transaction(async (m) => {
      const [order] = await m.query(`SELECT status FROM card_order WHERE order_id = $1 FOR UPDATE`, [orderId]);
      if (!order) throw this.notFound(orderId);
      if (order.status !== OrderStatus.PENDING) {
        const code = order.status === OrderStatus.FINISHED ? OrderErrorCode.ORDER_FINISHED : OrderErrorCode.ORDER_CANCELLED;
        throw new AppError(ErrorKind.CONFLICT, code, `orderId: order ${orderId} is ${order.status.toLowerCase()}`, 'orderId');
      }
      await m.query(
        `UPDATE card_order SET pickup_code_hash = $2, pickup_expires_at = $3, claimed_machine_no = NULL, claimed_at = NULL, updated_at = now() WHERE order_id = $1`,
        [orderId, this.hasher.hash(orderId, pickupCode), pickupExpiry(new Date(), this.config.PICKUP_CODE_TTL_HOURS)],
      );
      await this.closeSessions(m, orderId, 'pickup code renewed');
    });
    return { orderId, pickupCode };
  }

  /** Lifts a pickup lockout on a phone number. */
  async unlockPhone(phoneNumber: string): Promise<{ phoneNumber: string; unlocked: boolean }> {
    const [, count] = await this.db.query(`DELETE FROM pickup_attempt WHERE phone_number = $1 AND (failures > 0 OR locked_until > now())`, [phoneNumber]);
    return { phoneNumber, unlocked: count > 0 };
  }

  private async closeSessions(m: EntityManager, orderId: string, why: string): Promise<void> {
    await m.query(
      `UPDATE personalisation_session SET status = 'ABANDONED', failure = $2, version = version + 1, updated_at = now() WHERE order_id = $1 AND status = 'ACTIVE'`,
      [orderId, why],
    );
  }

  private async find(orderId: string): Promise<CardOrder> {
    const order = await this.orders.findOne({ where: { orderId } });
    if (!order) throw this.notFound(orderId);
    return order;
  }

  private notFound(orderId: string): AppError {
    return new AppError(ErrorKind.NOT_FOUND, OrderErrorCode.ORDER_NOT_FOUND, `orderId: no order ${orderId}`, 'orderId');
  }

  private view(o: CardOrder): object {
    const zone = this.config.WIRE_TIME_ZONE;
    return {
      orderId: o.orderId,
      orderType: o.orderType,
      status: o.status,
      projectId: o.projectId,
      userId: o.userId,
      userName: o.userName,
      idCard: o.idCard,
      phoneNumber: o.phoneNumber,
      companyId: o.companyId,
      companyName: o.companyName,
      cardFacePath: o.cardFacePath,
      cardBackPath: o.cardBackPath,
      cardNo: o.cardNo,
      uid: o.uid,
      pickupExpiresAt: wireTime(o.pickupExpiresAt, zone),
      claimedMachineNo: o.claimedMachineNo,
      claimedAt: wireTime(o.claimedAt, zone),
      finishedMachineNo: o.finishedMachineNo,
      issueDate: o.issueDate,
      expiryDate: o.expiryDate,
      createdAt: wireTime(o.createdAt, zone),
      finishedAt: wireTime(o.finishedAt, zone),
      cancelledAt: wireTime(o.cancelledAt, zone),
    };
  }
}
