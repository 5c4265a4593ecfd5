import { localTime } from '../wire/wire-clock';

/**
 * A device's daily check window (验票时间), as wall-clock times `HH:mm:ss` in the wire time
 * zone. Both unset: checks are accepted all day. start > end: the window crosses midnight
 * (22:00:00 → 02:00:00).
 */
export interface CheckWindow {
  start: string | null;
  end: string | null;
}

const DAY_MS = 86_400_000;

/** "7:45" / "07:45" / "07:45:00" → "07:45:00"; undefined when it is not a time of day. */
export function normaliseTimeOfDay(value: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return [h, mi, s].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Whether `at` falls inside the window (in `timeZone`). */
export function withinWindow(window: CheckWindow, at: Date, timeZone: string): boolean {
  if (!window.start || !window.end) return true;
  const t = localTime(at, timeZone).slice(11);
  if (window.start <= window.end) return t >= window.start && t <= window.end;
  return t >= window.start || t <= window.end;
}

function shiftDay(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The window as the heartbeat answers it (`check_start_time_format` / `check_end_time_format`,
 * `yyyy-MM-dd HH:mm:ss`): today's occurrence, or the one still running from yesterday for a
 * window across midnight. No window: today 00:00:00 – 23:59:59.
 */
export function formatWindow(window: CheckWindow, now: Date, timeZone: string): { start: string; end: string } {
  const local = localTime(now, timeZone);
  const today = local.slice(0, 10);
  const t = local.slice(11);
  if (!window.start || !window.end) return { start: `${today} 00:00:00`, end: `${today} 23:59:59` };
  if (window.start <= window.end) return { start: `${today} ${window.start}`, end: `${today} ${window.end}` };
  if (t <= window.end) return { start: `${shiftDay(today, -1)} ${window.start}`, end: `${today} ${window.end}` };
  return { start: `${today} ${window.start}`, end: `${shiftDay(today, 1)} ${window.end}` };
}
