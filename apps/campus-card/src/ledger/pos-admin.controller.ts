import { Body, HttpCode, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminController } from '@onecard/platform';
import { fenToYuan, yuanToFen } from '../common/money';
import { PosPurchaseDto } from './dto/transactions.dto';
import { Ledger } from './ledger';

/** Operators (and the POS gateway behind them): purchases at campus merchants. */
@AdminController('transactions')
export class PosAdminController {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: Ledger,
  ) {}

  /** A POS purchase: refused for a lost or frozen card or a short balance (nothing booked). */
  @Post()
  @HttpCode(200)
  async purchase(@Body() dto: PosPurchaseDto) {
    const posted = await this.ledger.post(
      this.db,
      { cardNo: dto.cardNo, kind: 'POS', amountFen: -yuanToFen(dto.amount), system: dto.system, merchantNo: dto.merchantNo, merchant: dto.merchant },
      { requireUsable: true },
    );
    return { id: Number(posted.entryId), cardNo: dto.cardNo, dateTime: posted.occurredAt.getTime(), amount: -dto.amount, cardBalance: fenToYuan(posted.balanceFen) };
  }
}
