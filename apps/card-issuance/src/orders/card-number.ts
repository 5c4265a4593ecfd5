/**
 * Identifiers an order gets (pure).
 * - orderId: yyyyMMdd (wire time zone) + 10-digit global sequence, 18 digits.
 * - cardNo: 4-digit project number + 12-digit per-project sequence, 16 digits; unique across
 *   projects, ordered within one, and ASCII digits as the cardholder file requires.
 */
export function formatOrderId(dateYyyyMmDd: string, sequence: number | bigint | string): string {
  return `${dateYyyyMmDd}${String(sequence).padStart(10, '0')}`;
}

export function formatCardNo(projectNo: number | string, sequence: number | bigint | string): string {
  return `${String(projectNo).padStart(4, '0')}${String(sequence).padStart(12, '0')}`;
}
