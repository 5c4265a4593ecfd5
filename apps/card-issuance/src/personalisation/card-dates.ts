import { formatWireTime } from '@onecard/platform';

/**
 * Issue date (today in the wire time zone) and expiry `years` later, both yyyyMMdd; a 29 Feb
 * issue expires on 28 Feb of a non-leap year.
 */
export function cardDates(now: Date, timeZone: string, years: number): { issueDate: string; expiryDate: string } {
  const issueDate = formatWireTime(now, 'yyyyMMdd', timeZone);
  const y = Number(issueDate.slice(0, 4)) + years;
  const m = Number(issueDate.slice(4, 6));
  let d = Number(issueDate.slice(6, 8));
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > lastDay) d = lastDay;
  const expiryDate = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  return { issueDate, expiryDate };
}
