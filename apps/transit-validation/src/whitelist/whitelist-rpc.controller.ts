import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { GetWhitelistEntryReply, GetWhitelistEntryRequest, Rpc } from '@onecard/contracts';
import { RpcHandler } from '@onecard/messaging';
import { normaliseCardNo, WhitelistService } from './whitelist.service';

/** Other services ask whether a card is on the whitelist (fresh from the database). */
@ApiExcludeController()
@Controller()
export class WhitelistRpcController {
  constructor(private readonly whitelist: WhitelistService) {}

  @RpcHandler(Rpc.GetWhitelistEntry)
  async entry(@Payload() request: GetWhitelistEntryRequest): Promise<GetWhitelistEntryReply> {
    const cardNo = normaliseCardNo(request.cardNo);
    const entry = cardNo ? await this.whitelist.entry(cardNo) : { found: false, version: 0 };
    return entry.found ? { found: true, flag: entry.flag, version: entry.version } : { found: false, version: entry.version };
  }
}
