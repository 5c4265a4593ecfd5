import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { TransitValidationConfig } from '../config';

/** The validator calls, under TRANSIT_BASE_PATH (the document's `xxxx/`). */
export const VALIDATOR_PATHS = [
  '/get_token',
  '/location_report',
  '/get_card_list',
  '/card_check',
  '/card_check_log',
  '/get_line_card_list',
  '/get_qrcode_keys',
  '/ticket_check',
  '/offline_qrcode_log',
] as const;

/**
 * HTTP details of this app the platform leaves to it:
 *
 * - TRANSIT_BASE_PATH. A Nest controller's path is fixed when the class is decorated, and the
 *   config (which tests pass in, not through process.env) is only known when the app is built.
 *   Nest registers its routes through Fastify's `route()`, which runs every `onRoute` hook
 *   before inserting the route in the router; this provider is constructed before Nest
 *   registers routes, and its hook moves exactly the validator paths under the prefix. The
 *   router itself then matches `/prefix/location_report` (no per-request rewriting, no second
 *   route), and /admin, /health, /metrics and /docs stay where every app has them.
 * - `text/csv` bodies for POST /admin/cards/import (read as a string, within BODY_LIMIT).
 */
@Injectable()
export class TransitHttpSetup implements OnModuleInit {
  private readonly fastify: FastifyInstance;

  constructor(adapterHost: HttpAdapterHost, private readonly config: TransitValidationConfig) {
    this.fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const base = config.TRANSIT_BASE_PATH;
    if (base) {
      const paths = new Set<string>(VALIDATOR_PATHS);
      this.fastify.addHook('onRoute', (route: RouteOptions) => {
        if (paths.has(route.url)) {
          route.url = `${base}${route.url}`;
          (route as { path?: string }).path = route.url;
        }
      });
    }
  }

  onModuleInit(): void {
    if (!this.fastify.hasContentTypeParser('text/csv')) {
      this.fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: this.config.BODY_LIMIT }, (_request, body, done) => done(null, body));
    }
  }
}
