// Console output of the launcher: five apps write JSON lines into one terminal, so each line
// gets its app's name (coloured on a TTY) and a compact rendering of the JSON log.

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const COLORS = [36, 35, 33, 32, 34, 96, 95];

export function paint(code: number, text: string): string {
  return useColor ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export const bold = (text: string) => paint(1, text);
export const dim = (text: string) => paint(2, text);
export const red = (text: string) => paint(31, text);

/** "card-issuance      │ " with a stable colour per index. */
export function prefixer(names: readonly string[]): (name: string) => string {
  const width = Math.max(...names.map((n) => n.length));
  return (name) => {
    const index = names.indexOf(name);
    return `${paint(COLORS[(index < 0 ? names.length : index) % COLORS.length], name.padEnd(width))} │ `;
  };
}

const LEVEL_COLORS: Record<string, number> = { fatal: 31, error: 31, warn: 33, info: 32, debug: 2, trace: 2 };
/** Fields already shown by the prefix or the layout. */
const HIDDEN = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname']);

/**
 * `HH:MM:SS.mmm LEVEL msg key=value …` for a pino JSON line; anything else passes unchanged
 * (stack traces, non-JSON output), so nothing an app prints is lost.
 */
export function renderLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.msg !== 'string' && typeof entry.level !== 'string') return line;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level ?? '').toUpperCase();
  const extras = Object.entries(entry)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const head = [time && dim(time), paint(LEVEL_COLORS[String(entry.level)] ?? 0, level.padEnd(5)), String(entry.msg ?? '')].filter(Boolean).join(' ');
  return extras.length ? `${head} ${dim(extras.join(' '))}` : head;
}

/** Plain left-aligned columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [bold(line(header)), ...rows.map(line)].join('\n');
}

/** Keeps the last `size` lines a process printed, for the message when it fails. */
export class Tail {
  private readonly lines: string[] = [];
  constructor(private readonly size = 25) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  text(indent = '    ', render: (line: string) => string = (line) => line): string {
    return this.lines.length ? this.lines.map((l) => indent + render(l)).join('\n') : `${indent}(no output)`;
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
