import { Body, Delete, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AppError, ErrorKind } from '@onecard/kernel';
import { AdminController } from '@onecard/platform';
import { CardImporter, ImportResult } from './card-importer';
import { CardNoParam, UpsertCardDto } from './dto/card-admin.dto';
import { WhitelistErrorCode } from './whitelist-errors';
import { normaliseCardNo, WhitelistService } from './whitelist.service';

function cardNoOf(raw: string): string {
  const cardNo = normaliseCardNo(raw);
  if (!cardNo) throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', 'card_no must be 1–32 letters or digits', 'card_no');
  return cardNo;
}

/** Operators' whitelist changes; each takes a new version like event-driven ones. */
@AdminController('cards')
export class WhitelistAdminController {
  constructor(
    private readonly whitelist: WhitelistService,
    private readonly importer: CardImporter,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Upsert one card (flag 1 valid, 0 invalid) and its lines' })
  async upsert(@Body() dto: UpsertCardDto): Promise<{ card_no: string; version: number; changed: boolean }> {
    const cardNo = cardNoOf(dto.card_no);
    const result = await this.whitelist.applyNow([{ cardNo, flag: dto.flag, lineIds: dto.line_ids }], 'admin');
    return { card_no: cardNo, version: result.version, changed: result.changed > 0 };
  }

  @Post('import')
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'card_no,flag,line_ids\n04A1B2C3,1,L1|L2\n04A1B2C4,0,' } })
  @ApiOperation({
    summary: 'Bulk upsert from CSV card_no,flag,line_ids (line ids separated by | or ;), streamed (up to TRANSIT_CARD_IMPORT_MAX_BYTES): all rows or none, one version',
    description:
      'Answers rows (card rows in the file), cards (distinct), changed (cards whose state changed) and version (the one the changes took, ' +
      'or the current one when nothing changed). A bad row refuses the whole file naming its line; nothing is changed.',
  })
  // The body is the request stream itself (wire/http-setup.ts), read here, never through a pipe that would walk it.
  import(@Req() request: FastifyRequest): Promise<ImportResult> {
    if (!(request.body instanceof Readable)) throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', 'content-type: send the rows as text/csv', 'content-type');
    const length = request.headers['content-length'];
    return this.importer.import(request.body, length === undefined ? undefined : Number(length));
  }

  @Delete(':card_no')
  @ApiOperation({ summary: 'Take a card off the whitelist (incremental lists report it with flag 0)' })
  async remove(@Param() params: CardNoParam): Promise<{ card_no: string; version: number }> {
    const cardNo = cardNoOf(params.card_no);
    const result = await this.whitelist.remove(cardNo);
    return { card_no: cardNo, version: result.version };
  }

  @Get(':card_no')
  @ApiOperation({ summary: "A card's current whitelist entry" })
  async get(@Param() params: CardNoParam): Promise<{ card_no: string; flag: number; line_ids: string[]; version: number }> {
    const cardNo = cardNoOf(params.card_no);
    const entry = await this.whitelist.entry(cardNo);
    if (!entry.found) throw new AppError(ErrorKind.NOT_FOUND, WhitelistErrorCode.CARD_NOT_FOUND, `card_no: ${cardNo} is not on the whitelist`, 'card_no');
    return { card_no: cardNo, flag: entry.flag ?? 0, line_ids: entry.lineIds ?? [], version: entry.version };
  }
}
