import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { CardIssuanceConfig } from '../config';
import type { KioskIdentity } from '../kiosk-auth/machine-credentials';
import { OrderStatus } from './card-order.entity';
import { OpenCardUserDetailDto } from './dto/order.dto';
import { OrderErrorCode } from './order.errors';
import { claimVerdict, moveClaim, readClaimFacts } from './pickup-claim';
import { afterWrongCode, isLocked, PICKUP_CODE_RECENT_DAYS } from './pickup-code';
import { PickupCodeHasher } from './pickup-code-hash';

interface OrderRow {
  order_id: string;
  order_type: number;
  project_id: string;
  user_id: string;
  user_name: string;
  id_card: string;
  phone_number: string;
  company_id: string;
  company_name: string;
  card_face_path: string;
  card_back_path: string;
  status: OrderStatus;
  pickup_code_hash: string;
  pickup_expires_at: Date;
  claimed_machine_no: string | null;
}

type Redemption =
  | { kind: 'ok'; order: OrderRow; released?: string }
  | { kind: 'locked'; until: Date }
  | { kind: 'wrong'; left: number; locked: boolean }
  | { kind: 'refused'; error: AppError };

/**
 * Orders a code is compared with: the phone's pending ones first, then its most recent others (a
 * code outlives its order briefly, for a precise answer such as "already used").
 */
const CANDIDATES = 5;

/** A correct code whose order another kiosk has claimed: that claim may be released (pickup-claim.ts). */
const CLAIMED_ELSEWHERE = Symbol('claimed elsewhere');

/**
 * openCardUserDetail: phone number + pickup code at a kiosk. Attempts on one phone are
 * serialised by a row lock on its counter; the code is checked with an HMAC per candidate order
 * (pickup-code-hash.ts: microseconds, where scrypt cost tens of ms of thread pool per attempt).
 * Wrong codes are counted whether or not the phone has an order, and answered alike.
 */
@Injectable()
export class PickupService {
  private readonly logger = new Logger('pickup');
  /** Compared with when the phone has no order, so the answer takes the same work. */
  private readonly dummyHash: string;

  constructor(
    private readonly db: DataSource,
    private readonly config: CardIssuanceConfig,
    private readonly hasher: PickupCodeHasher,
  ) {
    this.dummyHash = hasher.hash('', '000000');
  }

  async redeem(kiosk: KioskIdentity, dto: OpenCardUserDetailDto): Promise<object> {
    const outcome = await this.db.transaction(async (m): Promise<Redemption> => {
      const now = new Date();
      // The phone's counter, created if new and row-locked either way, in one round trip: the
      // no-op update takes the lock SELECT … FOR UPDATE took and returns the latest committed
      // count (updated_at stays the last counted attempt's; a row swept meanwhile is made again).
      const [attempt] = await m.query(
        `INSERT INTO pickup_attempt (phone_number) VALUES ($1)
         ON CONFLICT (phone_number) DO UPDATE SET phone_number = EXCLUDED.phone_number
         RETURNING failures, locked_until`,
        [dto.phoneNumber],
      );
      const state = { failures: Number(attempt.failures), lockedUntil: attempt.locked_until as Date | null };
      if (isLocked(state, now)) return { kind: 'locked', until: state.lockedUntil as Date };

      // A statement of its own, after the lock: its snapshot then shows what an attempt on this
      // phone that held the lock before committed (a claim made meanwhile, say).
      const candidates: OrderRow[] = await m.query(
        `SELECT * FROM card_order WHERE phone_number = $1 AND pickup_expires_at > now() - $2 * interval '1 day' ORDER BY status = 'PENDING' DESC, created_at DESC LIMIT ${CANDIDATES}`,
        [dto.phoneNumber, PICKUP_CODE_RECENT_DAYS],
      );
      const match = await this.findMatch(m, dto.pickupCode, candidates);
      if (!match) {
        const next = afterWrongCode(state, now, this.config.PICKUP_MAX_FAILURES, this.config.PICKUP_LOCK_MINUTES);
        await m.query(`UPDATE pickup_attempt SET failures = $2, locked_until = $3, updated_at = now() WHERE phone_number = $1`, [dto.phoneNumber, next.failures, next.lockedUntil]);
        return { kind: 'wrong', left: next.left, locked: next.locked };
      }
      const refusal = this.refusal(match, kiosk, now);
      let released: string | undefined;
      if (refusal === CLAIMED_ELSEWHERE) {
        released = await this.takeOver(m, match, kiosk);
        if (released === undefined) return { kind: 'refused', error: usedElsewhere() };
      } else if (refusal) {
        return { kind: 'refused', error: refusal };
      } else if (!match.claimed_machine_no) {
        await m.query(`UPDATE card_order SET claimed_machine_no = $2, claimed_at = now(), updated_at = now() WHERE order_id = $1`, [match.order_id, kiosk.machineNo]);
      }
      if (state.failures > 0 || state.lockedUntil) {
        await m.query(`UPDATE pickup_attempt SET failures = 0, locked_until = NULL, updated_at = now() WHERE phone_number = $1`, [dto.phoneNumber]);
      }
      return { kind: 'ok', order: match, released };
    });

    switch (outcome.kind) {
      case 'locked':
        throw new AppError(ErrorKind.TOO_MANY_REQUESTS, OrderErrorCode.PHONE_LOCKED, 'phoneNumber: locked after too many wrong pickup codes; try again later', 'phoneNumber');
      case 'wrong':
        throw new AppError(
          ErrorKind.NOT_FOUND,
          OrderErrorCode.PICKUP_CODE_WRONG,
          outcome.locked
            ? `pickupCode: wrong phone number or pickup code; phoneNumber locked for ${this.config.PICKUP_LOCK_MINUTES} minutes`
            : `pickupCode: wrong phone number or pickup code (${outcome.left} attempts left)`,
          'pickupCode',
        );
      case 'refused':
        throw outcome.error;
      case 'ok':
        // Operators see in the log why an order changed kiosk (after commit: it did).
        if (outcome.released) this.logger.log(`order ${outcome.order.order_id}: ${outcome.released}; now claimed by ${kiosk.machineNo}`);
        return userDetail(outcome.order);
    }
  }

  /** A correct code that still cannot be redeemed here as it stands. */
  private refusal(order: OrderRow, kiosk: KioskIdentity, now: Date): AppError | typeof CLAIMED_ELSEWHERE | undefined {
    if (order.status === OrderStatus.FINISHED) return new AppError(ErrorKind.CONFLICT, OrderErrorCode.ORDER_FINISHED, `pickupCode: already used, order ${order.order_id} is finished`, 'pickupCode');
    if (order.status === OrderStatus.CANCELLED) return new AppError(ErrorKind.CONFLICT, OrderErrorCode.ORDER_CANCELLED, `pickupCode: order ${order.order_id} was cancelled`, 'pickupCode');
    // The kiosk holding the claim reads its order again even after the code expired: it may have
    // lost the first answer, and without orderId and userId it cannot call getOpenCardApdu, which
    // still works for it. Expiry stops new claims, not the one made in time.
    if (order.claimed_machine_no === kiosk.machineNo && order.project_id === kiosk.projectId) return undefined;
    if (new Date(order.pickup_expires_at).getTime() <= now.getTime()) return new AppError(ErrorKind.CONFLICT, OrderErrorCode.PICKUP_CODE_EXPIRED, 'pickupCode: expired; ask for a new one', 'pickupCode');
    if (order.project_id !== kiosk.projectId) return new AppError(ErrorKind.FORBIDDEN, OrderErrorCode.OTHER_PROJECT, "machineNo: this machine does not serve the order's project", 'machineNo');
    if (order.claimed_machine_no) return CLAIMED_ELSEWHERE;
    return undefined;
  }

  /**
   * Takes over another kiosk's claim if pickup-claim.ts releases it. Returns what happened to the
   * old claim ('' when this kiosk already holds it), undefined when the claim stays where it is.
   */
  private async takeOver(m: EntityManager, order: OrderRow, kiosk: KioskIdentity): Promise<string | undefined> {
    const facts = await readClaimFacts(m, order.order_id);
    if (!facts) return undefined;
    // Read under the order's lock: another kiosk may have taken the claim meanwhile, or this one.
    if (facts.claimedMachineNo === kiosk.machineNo && facts.orderStatus === OrderStatus.PENDING) return '';
    const verdict = claimVerdict(facts, this.config.PERSONALISATION_IDLE_SECONDS);
    if (!verdict.release || !(await moveClaim(m, order.order_id, kiosk.machineNo, verdict.reason))) return undefined;
    return `claim of machine ${facts.claimedMachineNo} released (${verdict.reason})`;
  }

  /**
   * The candidate the code is for. A right code stored under an older key or as scrypt (an order
   * from before PICKUP_CODE_KEY) is hashed again under the newest key, so each such code costs its
   * scrypt once at most (compare-and-set: an operator's new code meanwhile is kept).
   */
  private async findMatch(m: EntityManager, code: string, candidates: OrderRow[]): Promise<OrderRow | undefined> {
    if (candidates.length === 0) {
      // Same work as a real comparison, so timing does not tell whether the phone has orders.
      await this.hasher.match('', code, this.dummyHash);
      return undefined;
    }
    for (const order of candidates) {
      const match = await this.hasher.match(order.order_id, code, order.pickup_code_hash);
      if (match === 'wrong') continue;
      if (match === 'stale') {
        await m.query(`UPDATE card_order SET pickup_code_hash = $3 WHERE order_id = $1 AND pickup_code_hash = $2`, [order.order_id, order.pickup_code_hash, this.hasher.hash(order.order_id, code)]);
      }
      return order;
    }
    return undefined;
  }
}

function usedElsewhere(): AppError {
  return new AppError(ErrorKind.CONFLICT, OrderErrorCode.PICKUP_CODE_USED, 'pickupCode: already used at another machine', 'pickupCode');
}

/** openCardUserDetail's data, in the document's order. */
function userDetail(o: OrderRow): object {
  return {
    userId: o.user_id,
    orderType: Number(o.order_type),
    userName: o.user_name,
    idCard: o.id_card,
    phoneNumber: o.phone_number,
    companyId: o.company_id,
    companyName: o.company_name,
    cardFacePath: o.card_face_path,
    cardBackPath: o.card_back_path,
    orderId: o.order_id,
  };
}
