import { errorCodes, FastifyInstance, RouteOptions } from 'fastify';
import type { TransitValidationConfig } from '../config';

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

/** The one route that takes a CSV body (whitelist/whitelist-admin.controller.ts). */
export const CARD_IMPORT_PATH = '/admin/cards/import';

/**
 * HTTP details of this app the platform leaves to it (the app definition's `http.configure`,
 * run before Nest registers a route):
 *
 * - TRANSIT_BASE_PATH. A Nest controller's path is fixed when the class is decorated, and the
 *   config (which tests pass in, not through process.env) is only known when the app is built.
 *   Nest registers its routes through Fastify's `route()`, which runs every `onRoute` hook before
 *   inserting the route in the router; this hook moves exactly the validator paths under the
 *   prefix. The router itself then matches `/prefix/location_report` (no per-request rewriting,
 *   no second route), and /admin, /health, /metrics and /docs stay where every app has them.
 * - `text/csv` bodies of POST /admin/cards/import: handed to the handler as the request stream,
 *   unread, so a city's cards stream into Postgres instead of being buffered under BODY_LIMIT. The
 *   importer enforces its own limit, TRANSIT_CARD_IMPORT_MAX_BYTES, as it reads (Fastify applies
 *   `bodyLimit` only to bodies it reads itself). Any other route answers text/csv as an unsupported
 *   media type, as it would without the parser: a stream must never reach a DTO, whose validation
 *   would walk the request object.
 */
export function configureTransitHttp(fastify: FastifyInstance, config: TransitValidationConfig): void {
  const base = config.TRANSIT_BASE_PATH;
  if (base) {
    const paths = new Set<string>(VALIDATOR_PATHS);
    fastify.addHook('onRoute', (route: RouteOptions) => {
      if (paths.has(route.url)) {
        route.url = `${base}${route.url}`;
        (route as { path?: string }).path = route.url;
      }
    });
  }
  fastify.addContentTypeParser('text/csv', (request, payload, done) => {
    if (request.routeOptions.url === CARD_IMPORT_PATH && request.method === 'POST') done(null, payload);
    else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/csv'), undefined);
  });
}
