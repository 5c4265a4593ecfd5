import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { isUniqueViolation } from '../common/wire-format';
import type { KioskIdentity } from '../kiosk-auth/machine-credentials';
import { OrderStatus } from '../orders/card-order.entity';
import { OrderErrorCode } from '../orders/order.errors';
import { FinishDto } from './dto/personalisation.dto';
import { PersonalisationErrorCode as Code } from './personalisation.errors';
import { assertPending, orderNotFound, otherProject } from './session-row';

/**
 * finish (制卡完成通知): binds the card to its order, marks it FINISHED and emits card.issued
 * through the outbox in the same transaction. A repeat for the same card is acknowledged and
 * emits nothing. The conditional UPDATE is the lock: of two concurrent finishes one updates,
 * the other finds the order FINISHED.
 */
@Injectable()
export class CardCompletionService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async finish(kiosk: KioskIdentity, dto: FinishDto): Promise<string> {
    // The usual case in one statement: a pending order of this user and project whose card was
    // personalised here becomes FINISHED, and its event goes into the outbox in the same transaction.
    const done = await this.db.transaction(async (m) => {
      let rows: FinishedRow[];
      try {
        [rows] = await m.query(
          `UPDATE card_order o SET status = 'FINISHED', uid = $2, finished_machine_no = $4, issue_date = s.issue_date, expiry_date = s.expiry_date,
             finished_at = now(), updated_at = now()
           FROM (SELECT issue_date, expiry_date FROM personalisation_session
                 WHERE order_id = $1 AND uid = $2 AND machine_no = $4 AND status = 'FINISHED' ORDER BY id DESC LIMIT 1) s
           WHERE o.order_id = $1 AND o.user_id = $3 AND o.project_id = $5 AND o.status = 'PENDING'
           RETURNING o.order_id, o.order_type, o.user_id, o.user_name, o.company_id, o.company_name, o.project_id, o.card_no, o.expiry_date`,
          [dto.orderId, dto.uid, dto.userId, kiosk.machineNo, kiosk.projectId],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError(ErrorKind.CONFLICT, Code.UID_IN_USE, 'uid: this card is already issued for another order', 'uid');
        throw error;
      }
      if (rows.length === 0) return false;
      const order = rows[0];
      await this.outbox.add(m, Events.CardIssued, {
        orderId: order.order_id,
        orderType: Number(order.order_type) as 1 | 22,
        userId: order.user_id,
        userName: order.user_name,
        companyId: order.company_id,
        companyName: order.company_name,
        projectId: order.project_id,
        machineNo: kiosk.machineNo,
        uid: dto.uid,
        cardNo: order.card_no,
        expiryDate: order.expiry_date,
      });
      return true;
    });
    if (!done) await this.explain(kiosk, dto);
    return '';
  }

  /** Nothing was finished: a repeat of a done finish (acknowledged, nothing emitted), or an error saying why. */
  private async explain(kiosk: KioskIdentity, dto: FinishDto): Promise<void> {
    const [order] = await this.db.query(
      `SELECT o.user_id, o.status, o.uid, o.project_id, s.machine_no AS session_machine_no
       FROM card_order o
       LEFT JOIN LATERAL (
         SELECT machine_no FROM personalisation_session WHERE order_id = o.order_id AND uid = $2 AND status = 'FINISHED' ORDER BY id DESC LIMIT 1
       ) s ON true
       WHERE o.order_id = $1`,
      [dto.orderId, dto.uid],
    );
    if (!order || order.user_id !== dto.userId) throw orderNotFound();
    if (order.status === OrderStatus.FINISHED) {
      if (order.uid === dto.uid) return;
      throw new AppError(ErrorKind.CONFLICT, OrderErrorCode.ORDER_FINISHED, 'uid: the order is already finished with another card', 'uid');
    }
    assertPending(order.status);
    if (order.project_id !== kiosk.projectId) throw otherProject();
    if (!order.session_machine_no) {
      throw new AppError(ErrorKind.CONFLICT, Code.NOT_PERSONALISED, 'uid: this card has not completed personalisation for the order (isFinished was not reached)', 'uid');
    }
    if (order.session_machine_no !== kiosk.machineNo) {
      throw new AppError(ErrorKind.FORBIDDEN, Code.NOT_REDEEMED_HERE, 'machineNo: the card was personalised at another machine', 'machineNo');
    }
    // The order changed between the update and this read (a concurrent finish or cancel): ask again.
    throw new AppError(ErrorKind.CONFLICT, Code.CONCURRENT_CHANGE, 'orderId: the order changed meanwhile; retry', 'orderId');
  }
}

interface FinishedRow {
  order_id: string;
  order_type: number;
  user_id: string;
  user_name: string;
  company_id: string;
  company_name: string;
  project_id: string;
  card_no: string;
  expiry_date: string;
}
