import { PATH_METADATA } from '@nestjs/common/constants';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyRequest } from 'fastify';

type RouteConfig = Record<string, unknown>;

function addTo(handler: object, key: string, value: unknown, keepExisting: boolean): void {
  const config = (Reflect.getOwnMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as RouteConfig | undefined) ?? {};
  if (keepExisting && key in config) return;
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [key]: value }, handler);
}

/**
 * A decorator that puts `key: value` in the Fastify route config of a handler, or of every
 * handler a controller declares. The route config is what the platform's hooks see at request
 * time (Nest hands the handler's own metadata to Fastify, never the controller's), so a
 * controller-level use writes it on each of its route methods, leaving a handler's own value in
 * place. It merges with what is there; Nest's own `@RouteConfig` replaces the whole object, so put
 * it above these decorators if a handler needs it. Inherited handlers are not reached from a
 * subclass: decorate them where they are declared.
 */
export function routeConfigDecorator(key: string, value: unknown): ClassDecorator & MethodDecorator {
  return ((target: object, _name?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      addTo(descriptor.value as object, key, value, false);
      return descriptor;
    }
    // Class decorators run after the method decorators, so every route method is marked by now.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = name === 'constructor' ? undefined : Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (typeof method === 'function' && Reflect.hasOwnMetadata(PATH_METADATA, method)) addTo(method, key, value, true);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}

/** The matched route's config (what `routeConfigDecorator` wrote), empty outside a route. */
export function routeConfigOf(request: FastifyRequest): RouteConfig {
  return (request.routeOptions?.config as unknown as RouteConfig | undefined) ?? {};
}
