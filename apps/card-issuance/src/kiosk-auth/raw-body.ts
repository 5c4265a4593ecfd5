import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BaseConfig, PLATFORM_CONFIG } from '@onecard/kernel';
import { limitBodyDepth } from '@onecard/platform';

const RAW_BODY = Symbol('card-issuance:raw-body');

type WithRawBody = FastifyRequest & { [RAW_BODY]?: Buffer };

/** The request body exactly as received (empty when there was none). */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return (request as WithRawBody)[RAW_BODY] ?? EMPTY;
}

const EMPTY = Buffer.alloc(0);

/**
 * Kiosk signatures cover the SHA-256 of the raw body, which Fastify does not keep once parsed.
 * This swaps the JSON parser Nest installed for the same parser (Fastify's default, with the
 * same body limit and prototype-poisoning rules, so errors read the same) that also keeps the
 * bytes on the request, and refuses bodies nested deeper than BODY_MAX_DEPTH as the platform's
 * does. It runs after Nest registered its parsers and before the server listens.
 */
@Injectable()
export class RawBodyCapture implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
    const parseJson = limitBodyDepth('application/json', fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error'), this.config.BODY_MAX_DEPTH);
    if (fastify.hasContentTypeParser('application/json')) fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
      (request as WithRawBody)[RAW_BODY] = body as Buffer;
      // Fastify's default parser takes a Buffer as well (Nest's own parser hands it one).
      parseJson(request, body as unknown as string, done);
    });
  }
}
