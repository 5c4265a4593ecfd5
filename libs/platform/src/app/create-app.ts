import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaseConfig, createLogger, loadConfig, MetricsRegistry, NestPinoLogger } from '@onecard/kernel';
import { setupDocs } from '../docs/setup-docs';
import { installHttpHooks } from '../http/http-hooks';
import { WireFastifyAdapter } from '../http/wire-response';
import { NatsConnectionService, NatsRpcServer } from '@onecard/messaging';
import type { OneCardAppDefinition } from '@onecard/kernel';
import { useCheapAsyncResourceBind } from './async-resource-bind';
import { PlatformModule } from './platform.module';

export interface RunningApp<C extends BaseConfig = BaseConfig> {
  app: NestFastifyApplication;
  config: C;
  /** Base URL the HTTP ingress listens on. */
  url: string;
  close(): Promise<void>;
}

/**
 * Boots one app: validated config, Fastify HTTP ingress, the platform (database + migrations,
 * NATS, outbox, consumers, health, metrics, docs) and the app's features.
 */
export async function createOneCardApp<C extends BaseConfig>(
  definition: OneCardAppDefinition<C>,
  env: Record<string, string | undefined> = process.env,
): Promise<RunningApp<C>> {
  useCheapAsyncResourceBind(); // Fastify binds an AsyncResource per request body (see the file)
  const config = loadConfig(definition.configClass, env, { PORT: definition.defaultPort, DB_SCHEMA: definition.defaultSchema });
  const logger = createLogger(definition.name, config.LOG_LEVEL);

  @Module({ imports: [PlatformModule.forApp(definition, config, logger), definition.module] })
  class RootModule {}

  // Success bodies are wrapped in the app's envelope by the adapter (see WireFastifyAdapter for why not an interceptor).
  const adapter = new WireFastifyAdapter(definition.envelope, {
    bodyLimit: config.BODY_LIMIT,
    trustProxy: true,
    ...definition.http?.fastify,
  });
  installHttpHooks(adapter.getInstance(), definition, config);
  const app = await NestFactory.create<NestFastifyApplication>(RootModule, adapter, {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
    // Body parsers are Fastify's own (JSON, text/plain) and the platform's (installHttpHooks).
    bodyParser: false,
  });

  const metrics = app.get(MetricsRegistry);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    const elapsedMs = reply.elapsedTime;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, elapsedMs / 1000);
    // The route pattern, never the URL: query strings may carry tokens. Built only when written.
    if (logger.isLevelEnabled('debug')) logger.debug({ method: request.method, route, status: reply.statusCode, ms: Math.round(elapsedMs * 10) / 10 }, 'request');
    done();
  });

  setupDocs(app, definition);
  app.connectMicroservice({ strategy: app.get(NatsRpcServer) }, { inheritAppConfig: true });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen({ port: config.PORT ?? definition.defaultPort, host: config.HOST });
  app.get(NatsConnectionService).start();

  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, schema: config.DB_SCHEMA }, `${definition.name} listening`);
  return { app, config, url, close: () => app.close() };
}
