import { CardErrorCode } from '../cards/card.errors';
import { LedgerErrorCode } from '../ledger/ledger.errors';
import type { Errno } from './card-api-envelope';

/**
 * Feature codes whose errno differs from their kind's (card-api-envelope.ts). The rest: 400 a
 * field is wrong, 401 no or bad token, 403 token not good for the call (scope, grant, client) or a
 * forged payment notification, 404 no such card/user/order, 409 the card's or order's state
 * forbids it, 422 refused (wrong query password, photo review, paid amount differs).
 */
export const CARD_API_ERRNO: Record<string, Errno> = {
  [LedgerErrorCode.INSUFFICIENT_BALANCE]: { errno: 402, http: 200 },
  [CardErrorCode.QUERY_PASSWORD_LOCKED]: { errno: 423, http: 200 },
};
