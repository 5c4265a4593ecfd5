import type { EntityManager } from 'typeorm';
import { OrderStatus } from './card-order.entity';

/**
 * When a kiosk's claim on an order (its redeemed pickup code) passes to another kiosk that
 * presents the same code. Without this a kiosk that died after openCardUserDetail kept the order
 * forever and the customer needed an operator for a new code.
 */
export interface ClaimFacts {
  orderStatus: OrderStatus;
  claimedMachineNo: string | null;
  /** The claiming kiosk's status (1 enabled, 2 disabled); null when it no longer exists. */
  claimantStatus: number | null;
  /** A session of the order reached isFinished: a card with the order's card number exists. */
  personalised: boolean;
  /** A session of the order is running (ACTIVE). */
  running: boolean;
  /** Status of the claimant's latest session for the order since it claimed it, if any. */
  lastSession: string | null;
  /** Seconds since the claim or the last change of that session, whichever is later. */
  quietSeconds: number;
}

export type ClaimVerdict =
  | { release: false }
  | { release: true; reason: 'claiming machine disabled' | 'its session expired' | 'no personalisation since the claim' };

/**
 * Keep a claim under which a card was personalised, whatever else (a second card would carry the
 * same card number; an operator's new code is the way out). Otherwise release it when the
 * claiming kiosk is disabled (it can no longer call in), when its session for the order expired
 * (it went quiet mid-card for `idleSeconds`), or when it has done nothing for the order for
 * `idleSeconds`: the limit after which a running session is judged abandoned, so one notion of
 * "the kiosk went away" for both. A running session keeps the claim: it expires on its own.
 */
export function claimVerdict(f: ClaimFacts, idleSeconds: number): ClaimVerdict {
  if (f.orderStatus !== OrderStatus.PENDING || !f.claimedMachineNo || f.personalised) return { release: false };
  if (f.claimantStatus !== 1) return { release: true, reason: 'claiming machine disabled' };
  if (f.running) return { release: false };
  if (f.lastSession === 'EXPIRED') return { release: true, reason: 'its session expired' };
  if (f.quietSeconds >= idleSeconds) return { release: true, reason: 'no personalisation since the claim' };
  return { release: false };
}

/** ClaimFacts of an order, read under its row lock (claims move one at a time). */
const CLAIM_FACTS = `
  SELECT o.status AS order_status, o.claimed_machine_no, m.status AS claimant_status,
         EXISTS (SELECT 1 FROM personalisation_session s WHERE s.order_id = o.order_id AND s.status = 'FINISHED') AS personalised,
         EXISTS (SELECT 1 FROM personalisation_session s WHERE s.order_id = o.order_id AND s.status = 'ACTIVE') AS running,
         l.status AS last_session,
         extract(epoch FROM now() - greatest(o.claimed_at, l.updated_at))::float8 AS quiet_seconds
  FROM card_order o
  LEFT JOIN machine m ON m.machine_no = o.claimed_machine_no
  LEFT JOIN LATERAL (
    SELECT status, updated_at FROM personalisation_session
    WHERE order_id = o.order_id AND machine_no = o.claimed_machine_no AND created_at >= o.claimed_at
    ORDER BY id DESC LIMIT 1
  ) l ON true
  WHERE o.order_id = $1
  FOR UPDATE OF o`;

export async function readClaimFacts(m: EntityManager, orderId: string): Promise<ClaimFacts | undefined> {
  const [row] = await m.query(CLAIM_FACTS, [orderId]);
  if (!row) return undefined;
  return {
    orderStatus: row.order_status,
    claimedMachineNo: row.claimed_machine_no,
    claimantStatus: row.claimant_status === null ? null : Number(row.claimant_status),
    personalised: row.personalised,
    running: row.running,
    lastSession: row.last_session,
    quietSeconds: Number(row.quiet_seconds),
  };
}

/**
 * Moves the claim to `machineNo` inside the caller's transaction, after claimVerdict said so.
 * The old claimant's running session (only a disabled kiosk's can be) is closed first, so it
 * cannot go on to personalise a card; a report of that session racing this either lands first
 * and finished the card (seen by the check after the close: nothing changes) or finds the
 * session ABANDONED. Returns false when the card turned out to be personalised meanwhile.
 */
export async function moveClaim(m: EntityManager, orderId: string, machineNo: string, why: string): Promise<boolean> {
  await m.query(`SAVEPOINT claim_release`);
  await m.query(
    `UPDATE personalisation_session SET status = 'ABANDONED', failure = $2, version = version + 1, updated_at = now() WHERE order_id = $1 AND status = 'ACTIVE'`,
    [orderId, `claim released: ${why}`],
  );
  const [{ personalised }] = await m.query(`SELECT EXISTS (SELECT 1 FROM personalisation_session WHERE order_id = $1 AND status = 'FINISHED') AS personalised`, [orderId]);
  if (personalised) {
    await m.query(`ROLLBACK TO SAVEPOINT claim_release`);
    return false;
  }
  await m.query(`UPDATE card_order SET claimed_machine_no = $2, claimed_at = now(), updated_at = now() WHERE order_id = $1`, [orderId, machineNo]);
  await m.query(`RELEASE SAVEPOINT claim_release`);
  return true;
}
