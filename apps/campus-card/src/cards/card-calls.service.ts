import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind, InvalidInputError } from '@onecard/kernel';
import { formatWireTime } from '@onecard/platform';
import { yuanToFen } from '../common/money';
import { CampusCardConfig } from '../config';
import type { Caller } from '../oauth/api-token.guard';
import { UsersService } from '../users/users.service';
import type { CardApiResult } from '../wire/card-api-envelope';
import { AccountOpening } from './account-opening';
import { cardsOfUser, findCard, findCardById, ownCard } from './card-account';
import { CardStatusService } from './card-status.service';
import { cardIdentity, cardInfo, openedCard } from './card-views';
import { CardErrorCode } from './card.errors';
import { FoundCardDto, FreezeDto, LookupQuery, OpenAccountDto, SetCardDto } from './dto/card-calls.dto';
import { QueryPasswords } from './query-passwords';

/** The document's card calls, one method each. */
@Injectable()
export class CardCallsService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly opening: AccountOpening,
    private readonly status: CardStatusService,
    private readonly passwords: QueryPasswords,
    private readonly config: CampusCardConfig,
  ) {}

  /** 获取校园卡信息: every card of the token's cardholder. */
  async info(userCode: string): Promise<CardApiResult> {
    return { entities: (await cardsOfUser(this.db, userCode)).map(cardInfo) };
  }

  /**
   * 校园卡开户. PUT is idempotent: the same request again answers the account it opened (nothing
   * booked twice); a different openAmount for a type the user already has is refused.
   */
  async open(dto: OpenAccountDto, caller: Caller): Promise<CardApiResult> {
    const today = formatWireTime(new Date(), 'yyyyMMdd', this.config.WIRE_TIME_ZONE);
    if (dto.expireDate <= today) throw new InvalidInputError('expireDate', 'expireDate: must be after today');
    const openAmountFen = yuanToFen(dto.openAmount ?? 0);
    const { card, created } = await this.db.transaction((m) =>
      this.opening.open(m, { userCode: dto.userCode, cardType: dto.cardType, expireDate: dto.expireDate, openAmountFen, free: dto.free ?? false, openedBy: `client:${caller.clientId}` }),
    );
    if (!created && Number(card.open_amount_fen) !== openAmountFen) {
      throw new AppError(
        ErrorKind.CONFLICT,
        CardErrorCode.ACCOUNT_EXISTS,
        `userCode: already has a ${dto.cardType} card (cardNo ${card.card_no}) opened with another openAmount`,
        'userCode',
      );
    }
    return { entities: [openedCard(card)] };
  }

  /** 查询校园卡身份信息: the user when the 学工号 exists, no entity when not. */
  async identity(userCode: string): Promise<CardApiResult> {
    const user = await this.users.find(userCode);
    return { entities: user ? [{ user: { name: user.name, code: user.userCode } }] : [] };
  }

  /** 设置卡信息和状态: lost/unlost and/or a new query password, the current one required. */
  async setCard(userCode: string, dto: SetCardDto): Promise<CardApiResult> {
    if (dto.lost === undefined && dto.newPassword === undefined) throw new InvalidInputError('lost', 'lost or newPassword: one of them is required');
    const card = await ownCard(this.db, userCode, dto.cardNo);
    await this.passwords.verify(card.card_no, dto.queryPassword);
    if (dto.lost !== undefined) await this.status.setLost(card.card_no, dto.lost);
    if (dto.newPassword !== undefined) await this.passwords.change(card.card_no, dto.newPassword);
    return {};
  }

  /** 根据学工号或物理卡号查询卡信息: by cardId when given, else every card of userId; none: no entity. */
  async lookup(query: LookupQuery): Promise<CardApiResult> {
    if (query.cardId !== undefined) {
      const card = await findCardById(this.db, query.cardId);
      return { entities: card ? [cardIdentity(card)] : [] };
    }
    return { entities: (await cardsOfUser(this.db, query.userId as string)).map(cardIdentity) };
  }

  /** 冻结解冻校园卡. */
  async freeze(dto: FreezeDto): Promise<CardApiResult> {
    await this.status.setFrozen(dto.cardNo, dto.frozen);
    return {};
  }

  /**
   * 提交拾卡信息: recorded for operators (GET /admin/found-cards) when the card number and the
   * 学工号 printed on it name one card; the card's state is the holder's business, unchanged.
   */
  async found(dto: FoundCardDto, caller: Caller): Promise<CardApiResult> {
    const card = await findCard(this.db, dto.cardNo);
    if (!card || card.user_code !== dto.code) {
      throw new AppError(ErrorKind.NOT_FOUND, CardErrorCode.FOUND_CARD_MISMATCH, `cardNo: no card ${dto.cardNo} held by ${dto.code}`, 'cardNo');
    }
    await this.db.query(`INSERT INTO found_card_report (card_no, name, code, msg, photo, client_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
      dto.cardNo,
      dto.name,
      dto.code,
      dto.msg,
      dto.photo ?? null,
      caller.clientId,
    ]);
    return {};
  }
}
