/** Errors of the card whitelists. */
export enum WhitelistErrorCode {
  /** The device's version cannot be brought up to date incrementally. */
  FULL_LIST_REQUIRED = 'FULL_LIST_REQUIRED',
  CARD_NOT_FOUND = 'CARD_NOT_FOUND',
}
