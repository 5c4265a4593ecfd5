import { formatWireTime, parseWireTime } from '@onecard/platform';

/**
 * Wire-time conversions on the hot paths, memoised: Intl's time-zone formatting costs
 * microseconds per call, heartbeats and checks need several each, and thousands of validators
 * send the same few seconds at a time. Results depend only on (text or second, zone).
 */
const MAX = 10_000;
const parsed = new Map<string, Date | null>();
const formatted = new Map<string, string>();

/** A device time (`yyyy-MM-dd HH:mm:ss`, `yyyyMMddHHmmss`, `yyMMddHHmmss`, unix s/ms) as an instant. */
export function parseDeviceTime(text: string, timeZone: string): Date | undefined {
  const key = `${timeZone}|${text}`;
  let value = parsed.get(key);
  if (value === undefined) {
    value = parseWireTime(text, timeZone) ?? null;
    if (parsed.size >= MAX) parsed.clear();
    parsed.set(key, value);
  }
  return value === null ? undefined : new Date(value.getTime());
}

/** `yyyy-MM-dd HH:mm:ss` of an instant in `timeZone` (to the second). */
export function localTime(at: Date, timeZone: string): string {
  const key = `${timeZone}|${Math.floor(at.getTime() / 1000)}`;
  let value = formatted.get(key);
  if (value === undefined) {
    value = formatWireTime(at, 'yyyy-MM-dd HH:mm:ss', timeZone);
    if (formatted.size >= MAX) formatted.clear();
    formatted.set(key, value);
  }
  return value;
}

/** The heartbeat's `server_time`: yyMMddHHmmss. */
export function serverTime(at: Date, timeZone: string): string {
  const t = localTime(at, timeZone);
  return `${t.slice(2, 4)}${t.slice(5, 7)}${t.slice(8, 10)}${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}`;
}
