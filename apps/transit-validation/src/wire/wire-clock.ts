import { formatWireTime, parseWireTime } from '@onecard/platform';

/**
 * Wire-time conversions on the hot paths, memoised: Intl's time-zone formatting costs
 * microseconds per call, heartbeats and checks need several each, and thousands of validators
 * send the same few seconds at a time. Results depend only on (text or second, zone).
 */
const MAX = 10_000;
const parsed = new Map<string, Date | null>();
const formatted = new Map<string, string>();

/**
 * What firmware sends for "time" besides the platform's forms: the date with slashes
 * (`yyyy/MM/dd HH:mm:ss`), one-digit month, day or hour, a `T` between date and time, and a
 * fraction of a second (`.SSS`, up to 6 digits, kept to the millisecond); or 17 digits
 * `yyyyMMddHHmmssSSS`. Rewritten to the platform's `yyyy-MM-dd HH:mm:ss` plus milliseconds.
 */
const DATE_TIME = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?$/;
const COMPACT_MS = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})$/;
/** The forms, as error messages and docs name them. */
export const DEVICE_TIME_FORMS = 'yyyy-MM-dd HH:mm:ss or yyyy/MM/dd HH:mm:ss, optionally .SSS; yyyyMMddHHmmss[SSS]; yyMMddHHmmss; unix seconds or ms';
const two = (digits: string) => (digits.length === 1 ? `0${digits}` : digits);

function toSeconds(text: string): { seconds: string; ms: number } | undefined {
  const v = text.trim();
  const m = DATE_TIME.exec(v);
  if (m) return { seconds: `${m[1]}-${two(m[3])}-${two(m[4])} ${two(m[5])}:${m[6]}:${m[7]}`, ms: m[8] ? Number(m[8].padEnd(3, '0').slice(0, 3)) : 0 };
  const c = COMPACT_MS.exec(v);
  if (c) return { seconds: `${c[1]}-${c[2]}-${c[3]} ${c[4]}:${c[5]}:${c[6]}`, ms: Number(c[7]) };
  return undefined;
}

function parseSeconds(text: string, timeZone: string): Date | null {
  const key = `${timeZone}|${text}`;
  let value = parsed.get(key);
  if (value === undefined) {
    value = parseWireTime(text, timeZone) ?? null;
    if (parsed.size >= MAX) parsed.clear();
    parsed.set(key, value);
  }
  return value;
}

/**
 * A device time as an instant: the platform's forms (`yyyy-MM-dd HH:mm:ss`, `yyyyMMddHHmmss`,
 * `yyMMddHHmmss`, unix s/ms) and the ones above. Only the device's own clock readings come here
 * (the `time` of heartbeats, checks and logs): get_token's signed `timestamp` keeps its strict form.
 */
export function parseDeviceTime(text: string, timeZone: string): Date | undefined {
  const known = parsed.get(`${timeZone}|${text}`);
  if (known) return new Date(known.getTime());
  // Memoised by the whole second (the usual form is its own whole second), so times with
  // milliseconds hit the cache too and do not fill it with one entry each.
  const lenient = toSeconds(text);
  const value = lenient ? parseSeconds(lenient.seconds, timeZone) : parseSeconds(text, timeZone);
  return value === null ? undefined : new Date(value.getTime() + (lenient?.ms ?? 0));
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
