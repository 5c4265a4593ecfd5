import type { PersonalisationState } from '@onecard/apdu';
import { AppError, ErrorKind } from '@onecard/kernel';
import { OrderStatus } from '../orders/card-order.entity';
import { OrderErrorCode } from '../orders/order.errors';
import { SessionStatus, StoredReport } from './personalisation-session.entity';
import { PersonalisationErrorCode as Code } from './personalisation.errors';

/** A session row with what its card carries from the order (immutable for the session). */
export interface SessionRow {
  id: string;
  order_id: string;
  user_id: string;
  machine_no: string;
  uid: string;
  status: SessionStatus;
  card_no: string;
  issue_date: string;
  expiry_date: string;
  /**
   * The apdu library's state as JSON text: parsed only when a report is applied, so a cached row
   * is a few strings rather than an object graph (less for the garbage collector to copy).
   */
  state_text: string;
  batch_first: number | null;
  batch_last: number | null;
  last_report: StoredReport | null;
  last_answer: string;
  version: number;
  user_name: string;
  id_card: string;
  company_name: string;
  project_id: string;
}

/** The latest session of a card for a user: one indexed read. */
export const SESSION_BY_CARD = `
  SELECT s.id, s.order_id, s.user_id, s.machine_no, s.uid, s.status, s.card_no, s.issue_date, s.expiry_date, s.state::text AS state_text,
         s.batch_first, s.batch_last, s.last_report, s.last_answer, s.version,
         o.user_name, o.id_card, o.company_name, o.project_id
  FROM personalisation_session s JOIN card_order o ON o.order_id = s.order_id
  WHERE s.uid = $1 AND s.user_id = $2 ORDER BY s.id DESC LIMIT 1`;

/** The row's apdu state, parsed. */
export function stateOf(row: SessionRow): PersonalisationState {
  return JSON.parse(row.state_text) as PersonalisationState;
}

export function sessionKey(uid: string, userId: string): string {
  return `${uid}\u0000${userId}`;
}

export function sessionNotFound(): AppError {
  return new AppError(ErrorKind.NOT_FOUND, Code.SESSION_NOT_FOUND, 'uid: no personalisation session for this card and userId at this machine (call getOpenCardApdu)', 'uid');
}

/** Why a report cannot be applied to this session, if it cannot. */
export function reportProblem(row: SessionRow, report: StoredReport): AppError | undefined {
  if (row.status === SessionStatus.FINISHED) {
    return new AppError(ErrorKind.CONFLICT, Code.SESSION_FINISHED, 'uid: personalisation of this card is already finished; call finish', 'uid');
  }
  if (row.status === SessionStatus.FAILED) {
    return new AppError(ErrorKind.CONFLICT, Code.SESSION_CLOSED, 'uid: personalisation of this card failed; start again with getOpenCardApdu and a new card', 'uid');
  }
  if (row.status === SessionStatus.ABANDONED) {
    return new AppError(ErrorKind.CONFLICT, Code.SESSION_CLOSED, 'uid: this session was replaced or its order cancelled; start again with getOpenCardApdu', 'uid');
  }
  if (row.status === SessionStatus.EXPIRED) {
    return new AppError(ErrorKind.CONFLICT, Code.SESSION_CLOSED, 'uid: this session expired after the kiosk went quiet; start again with getOpenCardApdu', 'uid');
  }
  // A kiosk failure ends the session wherever it happened; a success must name a command of the batch.
  if (report.result === '0x00' && (report.apduIndex < (row.batch_first ?? 0) || report.apduIndex > (row.batch_last ?? -1))) {
    return new AppError(ErrorKind.INVALID_INPUT, Code.INDEX_OUTSIDE_BATCH, `apduIndex: ${report.apduIndex} is not in the outstanding batch (${row.batch_first}..${row.batch_last})`, 'apduIndex');
  }
  return undefined;
}

export function orderNotFound(): AppError {
  return new AppError(ErrorKind.NOT_FOUND, OrderErrorCode.ORDER_NOT_FOUND, 'orderId: no order with this orderId and userId', 'orderId');
}

export function otherProject(): AppError {
  return new AppError(ErrorKind.FORBIDDEN, OrderErrorCode.OTHER_PROJECT, "orderId: this machine does not serve the order's project", 'orderId');
}

export function assertPending(status: OrderStatus): void {
  if (status === OrderStatus.FINISHED) throw new AppError(ErrorKind.CONFLICT, OrderErrorCode.ORDER_FINISHED, 'orderId: the order is already finished', 'orderId');
  if (status === OrderStatus.CANCELLED) throw new AppError(ErrorKind.CONFLICT, OrderErrorCode.ORDER_CANCELLED, 'orderId: the order was cancelled', 'orderId');
}
