import { OrderErrorCode } from '../orders/order.errors';

/**
 * Feature codes whose wire `code` differs from their kind's (kiosk-envelope.ts): the rest are
 * 400 invalid field, 401 signature, 403 machine disabled / not this machine's, 404 not found,
 * 409 state conflict, 422 personalisation failed (start again), 429 phone locked.
 */
export const KIOSK_FEATURE_CODES: Record<string, number> = {
  [OrderErrorCode.PICKUP_CODE_EXPIRED]: 410,
};
