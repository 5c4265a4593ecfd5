import { Global, Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import { TransitKeys } from './keys';
import { PartitionMaintainer } from './partitions';

/** What every transit-validation feature shares: keys, the change feed, partitions. */
@Global()
@Module({
  providers: [TransitKeys, ChangeFeed, PartitionMaintainer],
  exports: [TransitKeys, ChangeFeed],
})
export class CoreModule {}
