import { TextDecoder } from 'node:util';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { bodyTooDeep, jsonNestsDeeperThan, limitBodyDepth } from './body-depth';
import { routeConfigDecorator, routeConfigOf } from './route-config';

const LENIENT_JSON = 'onecardLenientJson';
const UNPARSED = Symbol('onecard:unparsed-body');

type WithUnparsed = FastifyRequest & { [UNPARSED]?: string };
type Done = (error: Error | null, body?: unknown) => void;
type JsonParser = (request: FastifyRequest, body: Buffer | string, done: Done) => void;

/**
 * The routes of this handler or controller read their body as JSON the way device firmware in
 * the field sends it: with no `Content-Type` (or an empty one), as `text/plain`, or with a `charset` other than
 * UTF-8 (`application/json; charset=GBK`, decoded as declared). Opt-in, for device ingress only:
 * every other route keeps the strict rules (JSON only as `application/json`, UTF-8).
 *
 * On these routes the request's `content-type` header is rewritten before parsing (absent or empty →
 * `application/json`; `text/plain…` → `application/json…`, its charset kept), so guards that
 * look at it see the type the body was read as. The bytes are not touched: `rawBodyOf` still
 * returns the body as sent (a signature is over those bytes), and the depth limit applies to the
 * decoded text. A body that cannot be read keeps its text for `unparsedBodyOf` (an envelope that
 * echoes a request field can still find it).
 */
export const LenientJson = (): ClassDecorator & MethodDecorator => routeConfigDecorator(LENIENT_JSON, true);

/** The text of a body a @LenientJson route could not parse (undefined otherwise): for echoing a request id. */
export function unparsedBodyOf(request: FastifyRequest): string | undefined {
  return (request as WithUnparsed)[UNPARSED];
}

const TEXT_PLAIN = /^\s*text\/plain\b/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
const UTF8 = /^utf-?8$/i;

function hasBody(headers: FastifyRequest['headers']): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/** preParsing on lenient routes: a body sent without a type (or an empty one), or as text/plain, is taken as JSON. */
function takeAsJson(request: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream, done: (error: Error | null, stream?: NodeJS.ReadableStream) => void): void {
  const sent = request.headers['content-type'];
  if (sent === undefined || sent.trim() === '') {
    if (hasBody(request.headers)) request.headers['content-type'] = 'application/json';
    else if (sent !== undefined) delete request.headers['content-type']; // no body, no type: as if none was sent
  } else if (TEXT_PLAIN.test(sent)) {
    request.headers['content-type'] = sent.replace(TEXT_PLAIN, 'application/json');
  }
  done(null, payload);
}

/** Gives each route marked @LenientJson its content-type hook as Fastify registers it. */
export function lenientJsonRoutes(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if ((route.config as Record<string, unknown> | undefined)?.[LENIENT_JSON] !== true) return;
    const existing = route.preParsing === undefined ? [] : Array.isArray(route.preParsing) ? route.preParsing : [route.preParsing];
    route.preParsing = [...existing, takeAsJson as never];
  });
}

/** One fatal decoder per charset label seen (WHATWG labels: gbk, gb2312, gb18030, big5, utf-16le…). */
const decoders = new Map<string, TextDecoder>();

function decoderFor(label: string): TextDecoder | undefined {
  const key = label.toLowerCase();
  let decoder = decoders.get(key);
  if (!decoder) {
    try {
      decoder = new TextDecoder(key, { fatal: true });
    } catch {
      return undefined; // not a label the Encoding Standard knows: not cached, so the map stays bounded
    }
    decoders.set(key, decoder);
  }
  return decoder;
}

function invalid(field: string, message: string): AppError {
  return new AppError(ErrorKind.INVALID_INPUT, ErrorKind.INVALID_INPUT, `${field}: ${message}`, field);
}

/**
 * The `application/json` parser of every app: strict routes as before (the depth limit, then
 * Fastify's own parser); @LenientJson routes decode a declared non-UTF-8 charset first.
 */
export function jsonBodyParser(parseJson: JsonParser, limit: number): JsonParser {
  const strict = limitBodyDepth('application/json', parseJson, limit);
  return (request, body, done) => {
    if (routeConfigOf(request)[LENIENT_JSON] !== true) return strict(request, body, done);
    const fail = (error: Error, text: string) => {
      (request as WithUnparsed)[UNPARSED] = text;
      done(error);
    };
    const bytes = body as Buffer;
    let text: Buffer | string = bytes;
    const charset = CHARSET.exec(String(request.headers['content-type']))?.[1];
    if (charset !== undefined && !UTF8.test(charset)) {
      const decoder = decoderFor(charset);
      if (!decoder) return fail(invalid('content-type', `unsupported charset ${charset.slice(0, 40)}`), bytes.toString('latin1'));
      try {
        text = decoder.decode(bytes);
      } catch {
        return fail(invalid('body', `not valid ${decoder.encoding} text`), bytes.toString('latin1'));
      }
    }
    // Measured on the decoded text: a GBK trail byte may be 0x5B-0x5D or 0x7B-0x7D.
    if (jsonNestsDeeperThan(text, limit)) return fail(bodyTooDeep(limit), String(text));
    parseJson(request, text, (error, value) => (error ? fail(error, String(text)) : done(null, value)));
  };
}
