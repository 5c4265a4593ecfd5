import { Global, Module } from '@nestjs/common';
import { TransitHttpSetup } from '../wire/http-setup';
import { ChangeFeed } from './change-feed';
import { TransitKeys } from './keys';
import { OutboxBatch } from './outbox-batch';
import { PartitionMaintainer } from './partitions';

/** What every transit-validation feature shares: keys, the change feed, batched outbox writes, partitions, HTTP setup. */
@Global()
@Module({
  providers: [TransitKeys, ChangeFeed, OutboxBatch, PartitionMaintainer, TransitHttpSetup],
  exports: [TransitKeys, ChangeFeed, OutboxBatch],
})
export class CoreModule {}
