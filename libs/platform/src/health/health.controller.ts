import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { RawResponse } from '../http/wire-response';
import { HealthProbes } from './health-probes';
import { NatsConnectionService, OutboxRelay } from '@onecard/messaging';

/**
 * 200 when the database and NATS both answer, the outbox relay thread runs and every probe the app
 * registered (HealthProbes) is up; 503 naming what is down. Written directly,
 * outside the app's envelope: load balancers and orchestrators read the status code.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly nats: NatsConnectionService,
    private readonly relay: OutboxRelay,
    private readonly probes: HealthProbes,
  ) {}

  @Get()
  @RawResponse()
  async check(@Res() reply: FastifyReply): Promise<void> {
    try {
      const result = await this.health.check([
        () => this.db.pingCheck('database', { timeout: 1500 }),
        () => {
          const indicator = this.indicators.check('nats');
          return this.nats.isConnected ? indicator.up() : indicator.down({ message: 'not connected' });
        },
        () => {
          const indicator = this.indicators.check('outbox_relay');
          return this.relay.isRunning ? indicator.up() : indicator.down({ message: 'relay thread starting' });
        },
        ...this.probes.entries().map(([name, probe]) => () => {
          const indicator = this.indicators.check(name);
          const problem = probe();
          return problem === undefined ? indicator.up() : indicator.down({ message: problem });
        }),
      ]);
      void reply.status(200).send(result);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503).send(error.getResponse());
    }
  }
}
