import formBody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { limitBodyDepth } from './body-depth';
import { keepRawBodies } from './raw-body';

/**
 * The platform's HTTP hooks, installed on the app's Fastify before Nest registers a route:
 * JSON bodies refused when nested deeper than BODY_MAX_DEPTH (measured on the bytes, before
 * anything parses or walks them); form-urlencoded bodies in every app (@fastify/formbody: an
 * object of strings, a repeated key an array, within BODY_LIMIT; its keys never nest); the
 * raw-body copy for routes marked @KeepRawBody, then the app's own `http.configure`.
 */
export function installHttpHooks<C extends BaseConfig>(fastify: FastifyInstance, definition: OneCardAppDefinition<C>, config: C): void {
  limitJsonDepth(fastify, config.BODY_MAX_DEPTH);
  void fastify.register(formBody);
  keepRawBodies(fastify);
  definition.http?.configure?.(fastify, config);
}

/** Fastify's own JSON parser (same limits, same prototype-poisoning rules), behind the depth check. */
function limitJsonDepth(fastify: FastifyInstance, limit: number): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, limitBodyDepth('application/json', parseJson as never, limit));
}
