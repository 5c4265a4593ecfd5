/**
 * What never reaches a log line in clear. Secrets are dropped whole; ID and phone numbers keep
 * just enough to be recognisable to an operator (first 3, last 4 for phones).
 */
const SECRET_KEYS = new Set(['pickupcode', 'authorization', 'sign', 'signature', 'x-signature', 'cookie', 'photo', 'capdu', 'rapdu']);
/** Any key, secret, password or token by name: `MACHINE_SECRET_KEY`, `tokenKey`, `client_secret`… */
const SECRET_PATTERN = /(secret|passw(or)?d|token|(^|_)keys?$|key$)/i;
const ID_KEYS = new Set(['idcard', 'idnum', 'idnumber', 'id_card', 'certno']);
const PHONE_KEYS = new Set(['phone', 'phonenumber', 'mobile', 'phone_number']);

export function maskPhone(value: string): string {
  return value.length >= 7 ? `${value.slice(0, 3)}****${value.slice(-4)}` : '****';
}

export function maskIdNumber(value: string): string {
  return value.length >= 8 ? `${value.slice(0, 3)}***********${value.slice(-2)}` : '****';
}

/** Returns a copy of `value` safe to log; walks objects and arrays (bounded depth). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { type: value.name, message: value.message };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (SECRET_KEYS.has(key) || SECRET_PATTERN.test(k)) out[k] = '[REDACTED]';
    else if (ID_KEYS.has(key) && typeof v === 'string') out[k] = maskIdNumber(v);
    else if (PHONE_KEYS.has(key) && typeof v === 'string') out[k] = maskPhone(v);
    else out[k] = redact(v, depth + 1);
  }
  return out;
}

/** ISO 7064 MOD 11-2 weights of an ID number's first 17 digits (2^(17-i) mod 11). */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Whether 18 characters can be a resident ID number (GB 11643-1999): region code whose first
 * digit is 1–8, a real birth date from 1900 to 2099, a 3-digit sequence and the MOD 11-2 check
 * character. Anything else of 18 digits (order ids are yyyyMMdd + sequence) stays readable:
 * an operator must be able to tell which order failed.
 */
export function isResidentIdNumber(text: string): boolean {
  if (!/^[1-8]\d{16}[\dXx]$/.test(text)) return false;
  const year = Number(text.slice(6, 10));
  const month = Number(text.slice(10, 12));
  const day = Number(text.slice(12, 14));
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one (leap years included).
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (text.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === text[17].toUpperCase();
}

/** 18 characters standing alone that look like an ID number; `isResidentIdNumber` decides. */
const ID_CANDIDATE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/**
 * A mainland mobile number standing alone, optionally after +86, 86 or 0086 (written straight
 * on, as in `+8613812345678`, or with a space or hyphen); the prefix is kept.
 */
const MOBILE = /(?<!\d)((?:\+|00)?86[ -]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;

/** Masks resident ID numbers and mainland mobile numbers inside free text. */
export function redactText(text: string): string {
  return text
    .replace(ID_CANDIDATE, (id) => (isResidentIdNumber(id) ? `${id.slice(0, 3)}***********${id.slice(-4)}` : id))
    .replace(MOBILE, (_all, prefix: string | undefined, head: string, tail: string) => `${prefix ?? ''}${head}****${tail}`);
}
