import formBody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { jsonBodyParser, lenientJsonRoutes } from './lenient-json';
import { keepRawBodies } from './raw-body';

/**
 * The platform's HTTP hooks, installed on the app's Fastify before Nest registers a route:
 * JSON bodies refused when nested deeper than BODY_MAX_DEPTH (measured on the bytes, before
 * anything parses or walks them); form-urlencoded bodies in every app (@fastify/formbody: an
 * object of strings, a repeated key an array, within BODY_LIMIT; its keys never nest); the
 * raw-body copy for routes marked @KeepRawBody, JSON as firmware sends it on routes marked
 * @LenientJson (no content type, text/plain, a declared charset), then the app's own
 * `http.configure`.
 */
export function installHttpHooks<C extends BaseConfig>(fastify: FastifyInstance, definition: OneCardAppDefinition<C>, config: C): void {
  limitJsonDepth(fastify, config.BODY_MAX_DEPTH);
  void fastify.register(formBody);
  keepRawBodies(fastify);
  lenientJsonRoutes(fastify);
  definition.http?.configure?.(fastify, config);
}

/** Fastify's own JSON parser (same limits, same prototype-poisoning rules), behind the depth check (and a declared charset's decoding on @LenientJson routes). */
function limitJsonDepth(fastify: FastifyInstance, limit: number): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser(parseJson as never, limit));
}
