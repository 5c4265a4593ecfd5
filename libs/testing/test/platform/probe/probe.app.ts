import { Body, Get, Module, Post, Query } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Injectable } from '@nestjs/common';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Events, GetWhitelistEntryReply, GetWhitelistEntryRequest, Rpc } from '@onecard/contracts';
import { AppError, BaseConfig, ErrorKind, OneCardAppDefinition, WireEnvelope, WireResponse } from '@onecard/kernel';
import { Outbox, RpcClient, RpcHandler } from '@onecard/messaging';
import { AdminController, BacklogSources, DeviceController } from '@onecard/platform';
import { ProbeConsumers } from './probe.consumers';
import { ProbeConsumerTables1733700000100, ProbeItem, ProbeTables1732300000100 } from './probe.entities';

class CreateItemDto {
  @IsString() @MaxLength(20) name!: string;
  @IsInt() @Min(0) remaining!: number;
  @IsOptional() @IsBoolean() failAfterEvent?: boolean;
}

/** Work the probe keeps in memory, shown at /admin/backlog as `probe_queue` (a replica's own); `broken` makes reading it throw. */
export const probeQueue = { since: [] as Date[], broken: false };

@Injectable()
class ProbeService {
  constructor(private readonly db: DataSource, private readonly outbox: Outbox, backlog: BacklogSources) {
    backlog.register(
      'probe_queue',
      () => {
        if (probeQueue.broken) throw new Error('probe queue: internal detail');
        return { pending: probeQueue.since.length, oldestAt: probeQueue.since[0] ?? null, detail: { broken: false } };
      },
      { scope: 'replica' },
    );
  }

  /** Writes an item and its event in one transaction; optionally fails after both. */
  create(dto: CreateItemDto): Promise<{ id: number }> {
    return this.db.transaction(async (m) => {
      const item = await m.save(ProbeItem, { name: dto.name });
      await this.outbox.add(m, Events.MachineStockLow, { machineNo: dto.name, projectId: 'probe', item: 'cardCount', remaining: dto.remaining, threshold: 10 });
      if (dto.failAfterEvent) throw new AppError(ErrorKind.CONFLICT, 'PROBE_FAILED', 'failAfterEvent: failed on purpose', 'failAfterEvent');
      return { id: item.id };
    });
  }
}

@DeviceController('probe')
class ProbeDeviceController {
  constructor(private readonly probe: ProbeService, private readonly rpc: RpcClient) {}

  @Post('items')
  create(@Body() dto: CreateItemDto) {
    return this.probe.create(dto);
  }

  @Get('whitelist')
  lookup(@Query('cardNo') cardNo: string) {
    return this.rpc.request(Rpc.GetWhitelistEntry, { cardNo });
  }

  @RpcHandler(Rpc.GetWhitelistEntry)
  async entry(@Payload() request: GetWhitelistEntryRequest): Promise<GetWhitelistEntryReply> {
    return { found: request.cardNo === 'known', flag: 1, version: 7 };
  }
}

@AdminController('probe')
class ProbeAdminController {
  constructor(private readonly probe: ProbeService) {}

  @Post('items')
  create(@Body() dto: CreateItemDto) {
    return this.probe.create(dto);
  }
}

@Module({ imports: [TypeOrmModule.forFeature([ProbeItem])], controllers: [ProbeDeviceController, ProbeAdminController], providers: [ProbeService, ProbeConsumers] })
class ProbeModule {}

/** `{ok, data}` / `{ok: false, kind, code, message}`: the probe's own envelope. */
class ProbeEnvelope implements WireEnvelope {
  success(result: unknown, _r: FastifyRequest): WireResponse {
    return { status: 200, body: { ok: true, data: result } };
  }
  failure(error: AppError, _r: FastifyRequest): WireResponse {
    return { status: error.kind === ErrorKind.INVALID_INPUT ? 400 : 422, body: { ok: false, kind: error.kind, code: error.code, message: error.message } };
  }
}

/** A minimal app on the platform, to test the platform alone. */
export const probeApp: OneCardAppDefinition = {
  name: 'card-issuance',
  title: 'platform probe',
  defaultPort: 0,
  defaultSchema: 'platform_probe',
  module: ProbeModule,
  configClass: BaseConfig,
  envelope: new ProbeEnvelope(),
  migrations: [ProbeTables1732300000100, ProbeConsumerTables1733700000100],
};
