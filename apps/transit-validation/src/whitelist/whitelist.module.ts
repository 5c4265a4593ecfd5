import { Module } from '@nestjs/common';
import { CardImporter } from './card-importer';
import { CardListController } from './card-list.controller';
import { ListStreamer } from './list-streamer';
import { WhitelistAdminController } from './whitelist-admin.controller';
import { WhitelistCache } from './whitelist-cache';
import { WhitelistEvents } from './whitelist-events';
import { WhitelistRpcController } from './whitelist-rpc.controller';
import { WhitelistService } from './whitelist.service';

@Module({
  controllers: [CardListController, WhitelistAdminController, WhitelistRpcController],
  providers: [WhitelistService, WhitelistCache, WhitelistEvents, ListStreamer, CardImporter],
  exports: [WhitelistCache, WhitelistService],
})
export class WhitelistModule {}
