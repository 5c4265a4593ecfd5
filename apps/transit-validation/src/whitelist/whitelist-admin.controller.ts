import { Body, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import { AppError, ErrorKind } from '@onecard/kernel';
import { AdminController } from '@onecard/platform';
import { parseCardCsv } from './csv';
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
  constructor(private readonly whitelist: WhitelistService) {}

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
  @ApiOperation({ summary: 'Bulk upsert from CSV card_no,flag,line_ids (line ids separated by | or ;); all rows or none, one version' })
  async import(@Body() body: unknown): Promise<{ rows: number; changed: number; version: number }> {
    if (typeof body !== 'string') throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', 'content-type: send the rows as text/csv', 'content-type');
    const parsed = parseCardCsv(body, normaliseCardNo);
    if (!parsed.ok) throw new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', parsed.message, 'body');
    const result = await this.whitelist.applyNow(parsed.cards.map((c) => ({ cardNo: c.cardNo, flag: c.flag, lineIds: c.lineIds })), 'admin-import');
    return { rows: parsed.cards.length, changed: result.changed, version: result.version };
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
