import formBody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { keepRawBodies } from './raw-body';

/**
 * The platform's HTTP hooks, installed on the app's Fastify before Nest registers a route:
 * form-urlencoded bodies in every app (@fastify/formbody: an object of strings, a repeated key an
 * array, within BODY_LIMIT; beside Fastify's own JSON and text/plain parsers), the raw-body copy
 * for routes marked @KeepRawBody, then the app's own `http.configure`.
 */
export function installHttpHooks<C extends BaseConfig>(fastify: FastifyInstance, definition: OneCardAppDefinition<C>, config: C): void {
  void fastify.register(formBody);
  keepRawBodies(fastify);
  definition.http?.configure?.(fastify, config);
}
