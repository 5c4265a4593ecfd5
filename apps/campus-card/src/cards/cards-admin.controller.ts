import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminController, pageWindow } from '@onecard/platform';
import { CampusCardConfig } from '../config';
import { wireTime } from '../common/wire-format';
import { findCard, cardNotFound } from './card-account';
import { CardStatusService } from './card-status.service';
import { cardInfo } from './card-views';
import { BindCardDto, FoundCardsQuery } from './dto/card-admin.dto';
import { FoundCardReports } from './found-card-reports';

/** Operators: a card account, binding a physical card to it, and found-card reports. */
@AdminController('')
export class CardsAdminController {
  constructor(
    private readonly db: DataSource,
    private readonly status: CardStatusService,
    private readonly config: CampusCardConfig,
    private readonly foundCards: FoundCardReports,
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
  found(@Query() query: FoundCardsQuery) {
    return this.foundCards.list(query.cardNo, pageWindow(query));
  }
}
