/** Formats instants in a wire time zone (Asia/Shanghai by default) with the documents' patterns. */

type Pattern = 'yyMMddHHmmss' | 'yyyy-MM-dd HH:mm:ss' | 'yyyyMMdd' | 'yyyy-MM-dd';

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(date: Date, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(date)) out[p.type] = p.value;
  return out;
}

export function formatWireTime(date: Date, pattern: Pattern, timeZone = 'Asia/Shanghai'): string {
  const p = parts(date, timeZone);
  switch (pattern) {
    case 'yyMMddHHmmss':
      return `${p.year.slice(2)}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
    case 'yyyy-MM-dd HH:mm:ss':
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    case 'yyyyMMdd':
      return `${p.year}${p.month}${p.day}`;
    case 'yyyy-MM-dd':
      return `${p.year}-${p.month}-${p.day}`;
  }
}

/** Offset of `timeZone` from UTC at `date`, in minutes (Shanghai: +480). */
function offsetMinutes(date: Date, timeZone: string): number {
  const p = parts(date, timeZone);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((asUtc - date.getTime()) / 60000);
}

/**
 * Parses a wall-clock time as devices send it (`yyyy-MM-dd HH:mm:ss`, `yyyyMMddHHmmss`,
 * `yyMMddHHmmss`, or unix seconds/ms) in `timeZone`. Returns undefined when it is none of these.
 */
export function parseWireTime(value: string, timeZone = 'Asia/Shanghai'): Date | undefined {
  const v = value.trim();
  if (/^\d{13}$/.test(v)) return new Date(Number(v));
  if (/^\d{10}$/.test(v)) return new Date(Number(v) * 1000);
  let m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) {
    const short = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
    if (short) m = [short[0], `20${short[1]}`, ...short.slice(2)] as unknown as RegExpExecArray;
  }
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const guess = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // 02-31 and the like would roll over into the next month: refuse them.
  if (guess.getUTCDate() !== d) return undefined;
  const result = new Date(guess.getTime() - offsetMinutes(guess, timeZone) * 60000);
  return Number.isNaN(result.getTime()) ? undefined : result;
}
