import { Global, Module } from '@nestjs/common';
import { TransitHttpSetup } from '../wire/http-setup';
import { ChangeFeed } from './change-feed';
import { TransitKeys } from './keys';
import { PartitionMaintainer } from './partitions';

/** What every transit-validation feature shares: keys, the change feed, partitions, HTTP setup. */
@Global()
@Module({
  providers: [TransitKeys, ChangeFeed, PartitionMaintainer, TransitHttpSetup],
  exports: [TransitKeys, ChangeFeed],
})
export class CoreModule {}
