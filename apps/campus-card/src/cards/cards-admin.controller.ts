import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminController } from '@onecard/platform';
import { CampusCardConfig } from '../config';
import { wireTime } from '../common/wire-format';
import { findCard, cardNotFound } from './card-account';
import { CardStatusService } from './card-status.service';
import { cardInfo } from './card-views';
import { BindCardDto } from './dto/card-admin.dto';

/** Operators: a card account, binding a physical card to it, and found-card reports. */
@AdminController('')
export class CardsAdminController {
  constructor(
    private readonly db: DataSource,
    private readonly status: CardStatusService,
    private readonly config: CampusCardConfig,
  ) {}

  @Get('cards/:cardNo')
  async get(@Param('cardNo') cardNo: string) {
    const card = await findCard(this.db, cardNo);
    if (!card) throw cardNotFound(cardNo);
    const cards = await this.db.query(`SELECT card_id, bound_at, replaced_at FROM physical_card WHERE card_no = $1 ORDER BY bound_at DESC`, [cardNo]);
    const zone = this.config.WIRE_TIME_ZONE;
    return {
      ...cardInfo(card),
      cardType: card.card_type,
      physicalCards: cards.map((c: { card_id: string; bound_at: Date; replaced_at: Date | null }) => ({
        cardId: c.card_id,
        boundAt: wireTime(c.bound_at, zone),
        replacedAt: c.replaced_at ? wireTime(c.replaced_at, zone) : null,
      })),
    };
  }

  /** Binds a physical card; one it replaces is retired (card.status-changed `replaced`). */
  @Post('cards/:cardNo/bind')
  @HttpCode(200)
  async bind(@Param('cardNo') cardNo: string, @Body() dto: BindCardDto) {
    await this.db.transaction((m) => this.status.bind(m, cardNo, dto.cardId, null));
    return this.get(cardNo);
  }

  /** Reports of found cards, newest first (optionally of one card). */
  @Get('found-cards')
  async found(@Query('cardNo') cardNo?: string) {
    const rows = await this.db.query(
      `SELECT * FROM found_card_report WHERE ($1::text IS NULL OR card_no = $1) ORDER BY id DESC LIMIT 500`,
      [typeof cardNo === 'string' ? cardNo : null],
    );
    const zone = this.config.WIRE_TIME_ZONE;
    return {
      total: rows.length,
      entities: rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        cardNo: r.card_no,
        name: r.name,
        code: r.code,
        msg: r.msg,
        photo: r.photo,
        clientId: r.client_id,
        reportedAt: wireTime(r.reported_at as Date, zone),
      })),
    };
  }
}
