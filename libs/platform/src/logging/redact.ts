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

/** Masks ID numbers (18 chars) and mainland mobile numbers inside free text. */
export function redactText(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![0-9A-Za-z])/g, '$1***********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}
