import formbody from '@fastify/formbody';
import Fastify, { FastifyInstance } from 'fastify';
import { AppLogger, createLogger, loadConfig, MetricsRegistry } from '@onecard/kernel';
import { OutboundHttp } from '@onecard/platform';
import { operatorConsoleApp } from './app.definition';
import { backlogsRoutes } from './backlogs/backlogs.routes';
import { BacklogsService } from './backlogs/backlogs.service';
import { OperatorConsoleConfig } from './config';
import { deadLettersRoutes } from './dead-letters/dead-letters.routes';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { fleetRoutes } from './fleet/fleet.routes';
import { FleetService } from './fleet/fleet.service';
import { ConsoleError, ConsoleErrorCode } from './http/console-error';
import { OperatorAuth } from './http/operator-auth';
import { LiveFeed } from './live/live-feed';
import { liveRoutes } from './live/live.routes';
import { stockRoutes } from './stock/stock.routes';
import { StockService } from './stock/stock.service';
import { AdminApis } from './upstream/admin-apis';
import { webRoutes } from './web/web.routes';

export interface RunningConsole {
  url: string;
  config: OperatorConsoleConfig;
  logger: AppLogger;
  close(): Promise<void>;
}

/**
 * Boots the console: config validated once, the apps' /admin clients, the live feed, the API
 * and the page. A plain Fastify server rather than the platform's runApp, which boots a Nest app
 * around a schema, migrations, an outbox and an envelope the console does not have.
 */
export async function startOperatorConsole(env: Record<string, string | undefined> = process.env): Promise<RunningConsole> {
  const config = loadConfig(OperatorConsoleConfig, env, { PORT: operatorConsoleApp.defaultPort });
  const logger = createLogger(operatorConsoleApp.name, config.LOG_LEVEL);
  // The apps' registry: process metrics, request durations and the outbound calls to the apps, at /metrics.
  const metrics = new MetricsRegistry(operatorConsoleApp);
  const outbound = new OutboundHttp(metrics);
  const apis = new AdminApis(config, outbound, logger);
  const feed = new LiveFeed(config, logger);
  const auth = new OperatorAuth(config);

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  await app.register(formbody);
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof ConsoleError) return reply.status(error.status).send(error.toWire());
    const status = error.statusCode;
    // Fastify's own refusals (a malformed body, a wrong content type) say what was wrong; anything else is ours.
    if (status !== undefined && status >= 400 && status < 500) return reply.status(400).send(new ConsoleError(ConsoleErrorCode.BAD_REQUEST, error.message).toWire());
    logger.error({ err: error.message }, 'request failed');
    return reply.status(500).send(new ConsoleError(ConsoleErrorCode.INTERNAL, 'internal error').toWire());
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(new ConsoleError(ConsoleErrorCode.NOT_FOUND, `path: no route ${request.method} ${request.url.split('?')[0]}`).toWire()));

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids in paths would make a series per dead letter.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  // Open like the apps' /metrics: a Prometheus scrape carries no operator token.
  app.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
  // The same probes as the apps' (the image's HEALTHCHECK reads /health/ready); the console answers while it runs.
  for (const path of ['/health', '/health/live', '/health/ready']) app.get(path, () => ({ status: 'ok' }));
  auth.register(app);
  webRoutes(app, auth);
  fleetRoutes(app, auth.require, new FleetService(apis));
  stockRoutes(app, auth.require, new StockService(apis));
  backlogsRoutes(app, auth.require, new BacklogsService(apis));
  deadLettersRoutes(app, auth.require, new DeadLettersService(apis));
  liveRoutes(app, auth.require, feed);

  feed.start();
  await app.listen({ port: config.PORT ?? operatorConsoleApp.defaultPort, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url }, 'operator-console listening');
  return {
    url,
    config,
    logger,
    close: async () => {
      await app.close();
      await feed.close();
      await outbound.onApplicationShutdown();
    },
  };
}
