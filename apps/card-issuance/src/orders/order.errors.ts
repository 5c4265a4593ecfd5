export enum OrderErrorCode {
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  ORDER_FINISHED = 'ORDER_FINISHED',
  ORDER_CANCELLED = 'ORDER_CANCELLED',
  /** Phone number and pickup code match no order (same answer whether or not the phone exists). */
  PICKUP_CODE_WRONG = 'PICKUP_CODE_WRONG',
  PICKUP_CODE_EXPIRED = 'PICKUP_CODE_EXPIRED',
  /** Redeemed already, at another kiosk. */
  PICKUP_CODE_USED = 'PICKUP_CODE_USED',
  PHONE_LOCKED = 'PHONE_LOCKED',
  /** The kiosk belongs to another project than the order. */
  OTHER_PROJECT = 'OTHER_PROJECT',
}
