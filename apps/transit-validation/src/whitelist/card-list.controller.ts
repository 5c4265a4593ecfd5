import { Body, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { RawResponse } from '@onecard/platform';
import { CurrentDevice, DeviceTokenGuard } from '../auth/device-token.guard';
import { DeviceStateStore } from '../devices/device-state';
import type { Device } from '../devices/device-registry';
import { reqId } from '../wire/validator-envelope';
import { GetCardListDto, GetLineCardListDto } from './dto/card-list.dto';
import { ListStreamer } from './list-streamer';
import { incrementalSince } from './version-diff';
import { WhitelistErrorCode } from './whitelist-errors';
import { ValidatorController } from '../wire/validator-controller';

const LIST_DOC =
  'Streamed: `{req_id, enterprise_id, ret_code, ret_msg, version, list: [{card_no, flag}], time}` with `time` (server ms) last. ' +
  'flag 1 valid, 0 invalid (lost, frozen, blacklisted) or, in incremental lists, removed.';

/** The whitelist downloads (4.1, 4.4), streamed whatever their size. */
@ValidatorController()
@UseGuards(DeviceTokenGuard)
export class CardListController {
  constructor(
    private readonly lists: ListStreamer,
    private readonly states: DeviceStateStore,
  ) {}

  @Post('get_card_list')
  @RawResponse()
  @ApiOperation({
    summary: 'Whitelist: type 1 the full list at the current version, type 2 the changes since the version the device reported in its last heartbeat',
    description: LIST_DOC,
  })
  async cardList(@Body() dto: GetCardListDto, @CurrentDevice() device: Device, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const head = { reqId: reqId(request), enterpriseId: device.enterpriseId, startedAt: Date.now() };
    if (dto.type === 1) return this.lists.send(reply, head, { kind: 'full' });
    const reported = await this.states.reported(device.deviceId);
    // Decided against the version of the snapshot the list is read from.
    await this.lists.send(reply, head, (current) => {
      const decision = incrementalSince(reported, current);
      if ('fullListRequired' in decision) {
        throw new AppError(ErrorKind.UNPROCESSABLE, WhitelistErrorCode.FULL_LIST_REQUIRED, decision.fullListRequired, 'version_code_add');
      }
      return { kind: 'since', since: decision.since };
    });
  }

  @Post('get_line_card_list')
  @RawResponse()
  @ApiOperation({ summary: "Line whitelist: the cards allowed on the device's line (is_line_white), at the line's version", description: LIST_DOC })
  lineList(@Body() _dto: GetLineCardListDto, @CurrentDevice() device: Device, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.lists.send(reply, { reqId: reqId(request), enterpriseId: device.enterpriseId, startedAt: Date.now() }, { kind: 'line', lineId: device.lineId });
  }
}
