import { Global, Module } from '@nestjs/common';
import { BatchWriters } from './batch-writers';
import { ChangeFeed } from './change-feed';
import { DeadRows } from './dead-rows';
import { DeadRowsAdminController } from './dead-rows-admin.controller';
import { TransitKeys } from './keys';
import { PartitionMaintainer } from './partitions';
import { TelemetryReader } from '../telemetry/telemetry-reader';

/** What every transit-validation feature shares: keys, the change feed, partitions, batched writers and their dead rows, the telemetry reader. */
@Global()
@Module({
  controllers: [DeadRowsAdminController],
  providers: [TransitKeys, ChangeFeed, PartitionMaintainer, DeadRows, BatchWriters, TelemetryReader],
  exports: [TransitKeys, ChangeFeed, BatchWriters, TelemetryReader],
})
export class CoreModule {}
