import { parseWireTime } from '@onecard/platform';

/**
 * passTimes (允许的进入时间, at most 30 characters): the times of day a person may pass, in the
 * wire time zone. Empty: any time. Either windows `HH:mm[:ss]-HH:mm[:ss]` separated by commas
 * (`07:00-12:00,13:00-19:00`), or times in pairs, start then end (`07:00,12:00,13:00,19:00`).
 * A window whose end is before its start runs across midnight; start and end may not be equal.
 */
export interface PassWindow {
  /** Seconds since midnight. */
  from: number;
  to: number;
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function seconds(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return h > 23 || mi > 59 || s > 59 ? undefined : h * 3600 + mi * 60 + s;
}

export type PassTimesParse = { ok: true; windows: PassWindow[] } | { ok: false; problem: string };

export function parsePassTimes(text: string): PassTimesParse {
  if (text.trim() === '') return { ok: true, windows: [] };
  const items = text.split(',');
  const windows: PassWindow[] = [];
  if (items.some((i) => i.includes('-'))) {
    for (const item of items) {
      const [a, b, extra] = item.split('-');
      const from = seconds(a ?? '');
      const to = seconds(b ?? '');
      if (extra !== undefined || from === undefined || to === undefined) return { ok: false, problem: `"${item.trim()}" is not a window HH:mm-HH:mm` };
      windows.push({ from, to });
    }
  } else {
    if (items.length % 2 !== 0) return { ok: false, problem: 'must list times in pairs (start,end), or windows HH:mm-HH:mm' };
    for (let i = 0; i < items.length; i += 2) {
      const from = seconds(items[i]);
      const to = seconds(items[i + 1]);
      if (from === undefined || to === undefined) return { ok: false, problem: `"${(from === undefined ? items[i] : items[i + 1]).trim()}" is not a time HH:mm or HH:mm:ss` };
      windows.push({ from, to });
    }
  }
  if (windows.some((w) => w.from === w.to)) return { ok: false, problem: 'a window must not start and end at the same time' };
  return { ok: true, windows };
}

export function insideWindows(windows: readonly PassWindow[], secondOfDay: number): boolean {
  return windows.some((w) => (w.from < w.to ? secondOfDay >= w.from && secondOfDay < w.to : secondOfDay >= w.from || secondOfDay < w.to));
}

/**
 * permissionTime (an extension: the document has no field for it): the period a person's
 * authorisation is valid, `start,end`, each `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` in the wire
 * time zone, either side empty for open; a date alone as end means to the end of that day.
 */
export type PermissionPeriod = { from: Date | null; until: Date | null };

export function parsePermissionTime(text: string, zone: string): { ok: true; period: PermissionPeriod } | { ok: false; problem: string } {
  const parts = text.split(',');
  if (parts.length !== 2) return { ok: false, problem: 'must be start,end (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss; either may be empty)' };
  const read = (part: string, end: boolean): Date | null | undefined => {
    const t = part.trim();
    if (t === '') return null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
      const day = parseWireTime(`${t} 00:00:00`, zone);
      return day && end ? new Date(day.getTime() + 86_400_000) : day;
    }
    return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t) ? parseWireTime(t, zone) : undefined;
  };
  const from = read(parts[0], false);
  const until = read(parts[1], true);
  if (from === undefined || until === undefined) return { ok: false, problem: 'must be start,end (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss; either may be empty)' };
  if (from && until && until <= from) return { ok: false, problem: 'must end after it starts' };
  return { ok: true, period: { from, until } };
}
