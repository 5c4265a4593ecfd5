import { Body, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { assertOwnDevice, Terminal, TerminalController } from '../terminal-auth/terminal-controller';
import type { TerminalIdentity } from '../terminal-auth/terminal-credentials';
import { AckDto, FaceGuidParam, SyncQuery } from './dto/terminal-sync.dto';
import { TerminalFeedService } from './terminal-feed.service';

/** What a terminal must hold: its changes since a cursor, its confirmations, the photos. */
@TerminalController()
export class TerminalFeedController {
  constructor(private readonly feed: TerminalFeedService) {}

  @Get('sync')
  @ApiOperation({ summary: 'Persons, photos and permissions changed since cursor (absent: all); result {cursor, more, items}' })
  sync(@Query() query: SyncQuery, @Terminal() terminal: TerminalIdentity) {
    return this.feed.sync(terminal.deviceKey, query.cursor ?? '0');
  }

  @Post('ack')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirms one synced change; the first confirmation sends addPerson / deletePerson to the platform' })
  ack(@Body() dto: AckDto, @Terminal() terminal: TerminalIdentity) {
    assertOwnDevice(terminal, dto.deviceKey);
    return this.feed.ack(terminal.deviceKey, dto);
  }

  @Get('photo/:faceGuid')
  @ApiOperation({ summary: 'A photo (JPEG or PNG bytes) of a person authorised on this terminal' })
  async photo(@Param() params: FaceGuidParam, @Terminal() terminal: TerminalIdentity, @Res() reply: FastifyReply) {
    const photo = await this.feed.photo(terminal.deviceKey, params.faceGuid);
    await reply.type(photo.contentType).header('cache-control', 'private, max-age=86400, immutable').send(photo.bytes);
  }
}
