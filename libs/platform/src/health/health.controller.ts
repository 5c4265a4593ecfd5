import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { NatsConnectionService, OutboxRelay } from '@onecard/messaging';
import { RawResponse } from '../http/wire-response';
import { HealthIndicators, IndicatorResult } from './health-indicators';

type Check = { status: 'up' | 'down' } & Record<string, unknown>;

/**
 * Health for operators and orchestrators, written directly, outside the app's envelope (probes
 * read the status code):
 *
 * - `/health/live`: 200 while the process serves (an event loop that answers). Restart on failure.
 * - `/health/ready`: can it do its job? Postgres must answer (else 503); NATS or the relay thread
 *   away is "degraded" but ready, since events wait in the outbox; an app indicator down is
 *   degraded too, unless registered as critical. Route traffic on it.
 * - `/health`: the detail, 200 only when everything, the app's indicators included, is up; 503
 *   naming what is down. For monitoring.
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
    private readonly appIndicators: HealthIndicators,
  ) {}

  @Get()
  @RawResponse()
  async check(@Res() reply: FastifyReply): Promise<void> {
    const apps = await this.appIndicators.run();
    try {
      const result = await this.health.check([
        () => this.pingDatabase(),
        () => this.platformCheck('nats', this.nats.isConnected, 'not connected'),
        () => this.platformCheck('outbox_relay', this.relay.isRunning, 'relay thread starting'),
        ...apps.map((indicator) => () => this.appCheck(indicator)),
      ]);
      void reply.status(200).send(result);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503).send(error.getResponse());
    }
  }

  @Get('live')
  @RawResponse()
  live(@Res() reply: FastifyReply): void {
    void reply.status(200).send({ status: 'ok' });
  }

  @Get('ready')
  @RawResponse()
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const [database, apps] = await Promise.all([this.pingDatabase(), this.appIndicators.run()]);
    const checks: Record<string, Check> = {
      ...(database as Record<string, Check>),
      ...(this.platformCheck('nats', this.nats.isConnected, 'not connected') as Record<string, Check>),
      ...(this.platformCheck('outbox_relay', this.relay.isRunning, 'relay thread starting') as Record<string, Check>),
    };
    for (const indicator of apps) Object.assign(checks, this.appCheck(indicator));
    const unavailable = checks.database.status === 'down' || apps.some((indicator) => indicator.critical && !indicator.up);
    const degraded = Object.values(checks).some((check) => check.status === 'down');
    const status = unavailable ? 'unavailable' : degraded ? 'degraded' : 'ready';
    void reply.status(unavailable ? 503 : 200).send({ status, checks });
  }

  private pingDatabase(): Promise<HealthIndicatorResult> {
    return this.db.pingCheck('database', { timeout: 1500 });
  }

  private platformCheck(name: string, up: boolean, downMessage: string): HealthIndicatorResult {
    const indicator = this.indicators.check(name);
    return up ? indicator.up() : indicator.down({ message: downMessage });
  }

  private appCheck({ name, up, detail }: IndicatorResult): HealthIndicatorResult {
    const indicator = this.indicators.check(name);
    return up ? indicator.up(detail) : indicator.down(detail);
  }
}
