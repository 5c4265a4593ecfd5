/**
 * A Retry-After header as milliseconds from now: delay-seconds or an HTTP date (RFC 9110
 * 10.2.3). Undefined when absent or unreadable; a date in the past is 0.
 */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month (Date.parse alone would read "-1" as a year).
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
