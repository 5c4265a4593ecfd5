import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { routeConfigDecorator, routeConfigOf } from './route-config';

const KEEP_RAW_BODY = 'onecardKeepRawBody';
const RAW_BODY = Symbol('onecard:raw-body');
const EMPTY = Buffer.alloc(0);

type WithRawBody = FastifyRequest & { [RAW_BODY]?: Buffer };

/**
 * The routes of this handler or controller keep the request body exactly as received, whatever
 * its content type, for `rawBodyOf(request)` (signatures over the body's bytes). Only these
 * routes pay for the copy.
 */
export const KeepRawBody = (): ClassDecorator & MethodDecorator => routeConfigDecorator(KEEP_RAW_BODY, true);

/**
 * The request body as received (empty when there was none). Throws on a route not marked
 * `@KeepRawBody()`: a signature checked against an empty body would fail for every caller,
 * with nothing saying why.
 */
export function rawBodyOf(request: FastifyRequest): Buffer {
  if (routeConfigOf(request)[KEEP_RAW_BODY] !== true) {
    throw new Error(`rawBodyOf: ${request.method} ${request.routeOptions?.url ?? request.url} is not marked @KeepRawBody()`);
  }
  return (request as WithRawBody)[RAW_BODY] ?? EMPTY;
}

/**
 * Passes the body stream on to Fastify's parser unchanged, keeping a copy of the bytes. The
 * parser still enforces the body limit and the content length on what flows through.
 */
function keepBytes(request: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream, done: (error: Error | null, stream?: NodeJS.ReadableStream) => void): void {
  const chunks: Buffer[] = [];
  const copy = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      chunks.push(chunk);
      next(null, chunk);
    },
    flush(next) {
      (request as WithRawBody)[RAW_BODY] = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      next();
    },
  });
  payload.on('error', (error) => copy.destroy(error));
  done(null, payload.pipe(copy));
}

/** Gives each route marked @KeepRawBody its copying hook as Fastify registers it. */
export function keepRawBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if ((route.config as Record<string, unknown> | undefined)?.[KEEP_RAW_BODY] !== true) return;
    const existing = route.preParsing === undefined ? [] : Array.isArray(route.preParsing) ? route.preParsing : [route.preParsing];
    route.preParsing = [...existing, keepBytes as never];
  });
}
