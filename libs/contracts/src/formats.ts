/** Value formats shared on the wire and on the bus. */

/** Card inner code / physical card id: 4–10 bytes, uppercase hex. */
export const HEX_UID = /^(?:[0-9A-F]{2}){4,10}$/;

/** yyyyMMdd */
export const COMPACT_DATE = /^\d{8}$/;

/** Normalises a physical card id as read by a device (any case, optional spaces) to the bus form. */
export function normaliseUid(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}
