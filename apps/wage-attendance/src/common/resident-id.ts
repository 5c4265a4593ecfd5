import { isResidentIdNumber } from '@onecard/kernel';

/**
 * Whether a card number is meant as a resident ID number (GB 11643): 17 digits and a check
 * character where the digits carry a birth date from 1900 to 2099, or any 17 digits ending in X
 * (no card number does). Such a number must then be a real one: a valid date and the ISO 7064
 * MOD 11-2 check character. Other card numbers (a card's own number, hex uids) are not judged.
 */
const ID_SHAPED = /^(?:\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]|\d{17}[Xx])$/;

export function looksLikeResidentId(cardNo: string): boolean {
  return ID_SHAPED.test(cardNo);
}

/** A card number is acceptable when it is not ID-shaped or is a valid resident ID number. */
export function acceptableCardNo(cardNo: string): boolean {
  return !looksLikeResidentId(cardNo) || isResidentIdNumber(cardNo);
}

/** What a terminal reads and card_block holds: upper case, no blanks. */
export function cardKey(cardNo: string): string {
  return cardNo.replace(/\s+/g, '').toUpperCase();
}
