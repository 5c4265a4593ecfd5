import { AppError, ErrorKind } from '@onecard/kernel';

/** The error code of a body nested deeper than BODY_MAX_DEPTH (an invalid input in every envelope). */
export const BODY_TOO_DEEP = 'BODY_TOO_DEEP';

export function bodyTooDeep(limit: number): AppError {
  return new AppError(ErrorKind.INVALID_INPUT, BODY_TOO_DEEP, `body: nested too deeply (limit ${limit})`, 'body');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON text opens more than `limit` arrays/objects inside one another (a top-level
 * object is depth 1), read from the bytes before anything parses them. Validation and
 * class-transformer recurse once per level: a body 1,500 levels deep overflowed the stack (an
 * internal error, not a refusal). Strings are skipped, escapes included; malformed text is left
 * to the parser to refuse.
 */
export function jsonNestsDeeperThan(text: Buffer | string, limit: number): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  // Fast path for the usual body: no more openers in all than the limit (counted natively, about
  // half the time of the scan below for a 270-byte card check).
  let openers = 0;
  for (let i = bytes.indexOf(OPEN_OBJECT); i >= 0 && openers <= limit; i = bytes.indexOf(OPEN_OBJECT, i + 1)) openers++;
  for (let i = bytes.indexOf(OPEN_ARRAY); i >= 0 && openers <= limit; i = bytes.indexOf(OPEN_ARRAY, i + 1)) openers++;
  if (openers <= limit) return false;
  let depth = 0;
  for (let i = 0, n = bytes.length; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const s = bytes[i];
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** The same for a value another parser built (form bodies with `a[b][c]` keys), without recursion. */
export function valueNestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

type Done = (error: Error | null, body?: unknown) => void;
type BodyParser<Req, Body extends Buffer | string> = (request: Req, body: Body, done: Done) => void;

/**
 * Wraps a content-type parser so a body nested deeper than `limit` is refused naming the body:
 * JSON is measured on its bytes before the parser runs, anything else (forms) on what it built.
 */
export function limitBodyDepth<Req, Body extends Buffer | string>(
  contentType: string | string[] | RegExp,
  parser: BodyParser<Req, Body>,
  limit: number,
): BodyParser<Req, Body> {
  const json = isJsonType(contentType);
  return (request, body, done) => {
    if (json) {
      if (jsonNestsDeeperThan(body, limit)) return done(bodyTooDeep(limit));
      return parser(request, body, done);
    }
    parser(request, body, (error, value) => {
      if (error) return done(error);
      if (valueNestsDeeperThan(value, limit)) return done(bodyTooDeep(limit));
      done(null, value);
    });
  };
}

function isJsonType(contentType: string | string[] | RegExp): boolean {
  if (contentType instanceof RegExp) return contentType.test('application/json');
  return (Array.isArray(contentType) ? contentType : [contentType]).some((t) => /\bjson\b/i.test(t));
}
