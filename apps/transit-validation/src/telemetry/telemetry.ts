/**
 * Telemetry as validators send it. Position, heading, speed and firmware version are optional in
 * the document and typed loosely ("string"), and firmware in the field sends them in whatever
 * notation its GPS module or build system uses: NMEA `ddmm.mmmm`, a hemisphere letter, `-1` for
 * "no heading", `1.0.3`. None of that may cost a rider a tap or a bus its heartbeat, so every
 * value is read, never refused: the number when one can be read from it, and the text as sent
 * whenever the number alone would not say what was sent.
 */

export type TelemetryField = 'lng' | 'lat' | 'course' | 'speed' | 'software_ver';

/**
 * - `plain`: a decimal number in range (`"114.05"`, `90`); `value` is exactly it, `sent` is not kept.
 * - `converted`: another notation read as a number (NMEA, a hemisphere letter, `1e2`, `+5`); both kept.
 * - `unparsed`: out of range or not a number; only `sent` is kept.
 */
export type Notation = 'plain' | 'converted' | 'unparsed';

export interface Reading {
  value?: number;
  /** The value as sent (a JSON number or other JSON value as its JSON text), at most MAX_SENT characters. */
  sent?: string;
  notation: Notation;
}

/** Longest text kept as sent; firmware junk beyond this is cut (the reading is then unparsed anyway). */
export const MAX_SENT = 64;

const ABSENT: Reading = Object.freeze({ notation: 'plain' }) as Reading;
const PLAIN = /^\s*-?\d+(\.\d+)?\s*$/;
const RANGES: Record<Exclude<TelemetryField, 'software_ver'>, [number, number]> = {
  lng: [-180, 180],
  lat: [-90, 90],
  course: [0, 360],
  speed: [0, 1000],
};
const INT_MAX = 2_147_483_647;

/** What a device sent in one telemetry field; `undefined`, `null` and blank text are "not sent". */
export function readTelemetry(field: TelemetryField, sent: unknown): Reading {
  if (sent === undefined || sent === null) return ABSENT;
  if (field === 'software_ver') return readSoftwareVersion(sent);
  const [min, max] = RANGES[field];
  // The common case first, as cheaply as the strict rule it replaces: a plain number in range.
  if (typeof sent === 'number') {
    if (sent >= min && sent <= max) return { value: sent, notation: 'plain' };
  } else if (typeof sent === 'string') {
    if (PLAIN.test(sent)) {
      const value = Number(sent);
      if (value >= min && value <= max && !nmeaWithLeadingZero(sent, field)) return { value, notation: 'plain' };
    } else if (sent.trim() === '') {
      return ABSENT;
    }
  }
  const text = asText(sent);
  const value = field === 'lng' || field === 'lat' ? coordinate(text.trim(), field) : otherNotation(text.trim(), min, max);
  return value === undefined ? { sent: text, notation: 'unparsed' } : { value, sent: text, notation: 'converted' };
}

function readSoftwareVersion(sent: unknown): Reading {
  if (typeof sent === 'number' && Number.isInteger(sent) && sent >= 0 && sent <= INT_MAX) return { value: sent, notation: 'plain' };
  if (typeof sent === 'string') {
    if (sent.trim() === '') return ABSENT;
    if (/^\s*\d{1,10}\s*$/.test(sent)) {
      const value = Number(sent);
      if (value <= INT_MAX) return { value, notation: 'plain' };
    }
  }
  // "1.0.3", "v102", 1.5: kept as text; the integer column stays empty rather than guess.
  return { sent: asText(sent), notation: 'unparsed' };
}

function asText(sent: unknown): string {
  const text = typeof sent === 'string' ? sent : typeof sent === 'number' ? String(sent) : JSON.stringify(sent) ?? String(sent);
  return text.length > MAX_SENT ? text.slice(0, MAX_SENT) : text;
}

/** `1e2`, `+5`, `.5`: JavaScript's own number syntax, in range. Hex, `Infinity` and the empty string are not numbers here. */
function otherNotation(text: string, min: number, max: number): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** NMEA coordinates carry their degrees' leading zeros (`03114.5000`, `0030.5000`); plain degrees never do. */
function nmeaWithLeadingZero(text: string, field: TelemetryField): boolean {
  return (field === 'lng' || field === 'lat') && /^\s*-?0\d{3,4}\.\d+\s*$/.test(text);
}

/**
 * A longitude or latitude in degrees: plain or exponent notation, NMEA `(d)ddmm.mmmm`, either with
 * a hemisphere letter before or after it (`E121.47`, `12128.4220E`, `31.2 N`; W and S negative,
 * and only the letters of its own axis).
 */
function coordinate(text: string, axis: 'lng' | 'lat'): number | undefined {
  const max = axis === 'lng' ? 180 : 90;
  let sign = 1;
  let body = text;
  const lettered = /^([NSEW])\s*,?\s*(.+)$/i.exec(text) ?? /^(.+?)\s*,?\s*([NSEW])$/i.exec(text);
  if (lettered) {
    const [letter, rest] = /^[NSEW]$/i.test(lettered[1]) ? [lettered[1], lettered[2]] : [lettered[2], lettered[1]];
    const hemisphere = letter.toUpperCase();
    if (axis === 'lng' ? hemisphere !== 'E' && hemisphere !== 'W' : hemisphere !== 'N' && hemisphere !== 'S') return undefined;
    if (!/^\d/.test(rest) && !/^\.\d/.test(rest)) return undefined; // a letter and a sign contradict each other
    sign = hemisphere === 'W' || hemisphere === 'S' ? -1 : 1;
    body = rest;
  }
  // NMEA has at least four digits before the point (dd + mm); "123.5" as a latitude is more likely a
  // longitude in the wrong field than 1°23.5', so it is not read as one.
  const nmea = /^([+-]?)(\d{4,5})\.(\d+)$/.exec(body);
  if (nmea) {
    const n = Number(`${nmea[2]}.${nmea[3]}`);
    const magnitude = Math.abs(n);
    // Degrees when it reads as degrees (in range, no leading zero); otherwise NMEA.
    if (!(magnitude <= max && nmea[2][0] !== '0')) return nmeaDegrees(nmea[1] === '-' ? -sign : sign, magnitude, max);
  }
  const degrees = otherNotation(body, -max, max);
  return degrees === undefined ? undefined : sign * degrees;
}

/** `dddmm.mmmm` → degrees; minutes must be below 60 and degrees within the axis. */
function nmeaDegrees(sign: number, ddmm: number, max: number): number | undefined {
  const degrees = Math.floor(ddmm / 100);
  const minutes = ddmm - degrees * 100;
  if (minutes >= 60 || degrees > max) return undefined;
  const value = degrees + minutes / 60;
  if (value > max) return undefined;
  // Minutes to 4 decimals are ~0.2 m; round away the binary noise of the division.
  return sign * Math.round(value * 1e9) / 1e9;
}
