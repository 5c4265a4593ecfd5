import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CardStatusChange, Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { isUniqueViolation } from '../common/wire-format';
import { CardAccountRow, findCard, cardNotFound } from './card-account';
import { CardErrorCode } from './card.errors';

/**
 * Lost (挂失/解挂) and frozen (冻结/解冻) flags, and which physical card an account uses. Every
 * change that matters to a reader of cards is published as card.status-changed through the
 * outbox, in the transaction of the change; an account with no physical card yet has nothing a
 * validator could refuse, so it publishes nothing. Setting a flag to the value it has is a no-op.
 */
@Injectable()
export class CardStatusService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async setLost(cardNo: string, lost: boolean): Promise<void> {
    await this.setFlag(cardNo, 'lost', lost, lost ? 'lost' : 'found');
  }

  async setFrozen(cardNo: string, frozen: boolean): Promise<void> {
    await this.setFlag(cardNo, 'frozen', frozen, frozen ? 'frozen' : 'thawed');
  }

  private async setFlag(cardNo: string, flag: 'lost' | 'frozen', value: boolean, change: CardStatusChange): Promise<void> {
    await this.db.transaction(async (m) => {
      const [[row]]: [[CardAccountRow?]] = await m.query(
        `UPDATE card_account SET ${flag} = $2, updated_at = now() WHERE card_no = $1 AND ${flag} <> $2
         RETURNING card_no, user_code, card_id, lost, frozen`,
        [cardNo, value],
      );
      if (row) return this.publish(m, row, change);
      if (!(await findCard(m, cardNo))) throw cardNotFound(cardNo);
    });
  }

  /**
   * Binds physical card `cardId` to the account (operators, and kiosk-issued cards). A card it
   * replaces is retired for good (`replaced`, so validators refuse it) and the account's lost flag,
   * which was about that card, is cleared. If the account is still lost or frozen, the new card is
   * announced so too. Binding the card the account already has is a no-op.
   */
  async bind(m: EntityManager, cardNo: string, cardId: string, orderId: string | null): Promise<{ replaced?: string }> {
    const account = await findCard(m, cardNo, true);
    if (!account) throw cardNotFound(cardNo);
    if (account.card_id === cardId) return {};
    const [holder] = await m.query(`SELECT card_no FROM physical_card WHERE card_id = $1`, [cardId]);
    if (holder) {
      throw new AppError(ErrorKind.CONFLICT, CardErrorCode.CARD_ID_IN_USE, `cardId: card ${cardId} is already bound to card account ${holder.card_no}`, 'cardId');
    }
    const old = account.card_id;
    if (old) await m.query(`UPDATE physical_card SET replaced_at = now() WHERE card_id = $1`, [old]);
    await m.query(`INSERT INTO physical_card (card_id, card_no, order_id) VALUES ($1, $2, $3)`, [cardId, cardNo, orderId]).catch((error: unknown) => {
      // Another account took this card in the meantime.
      if (isUniqueViolation(error)) throw new AppError(ErrorKind.CONFLICT, CardErrorCode.CARD_ID_IN_USE, `cardId: card ${cardId} is already bound to another account`, 'cardId');
      throw error;
    });
    const [[bound]]: [[CardAccountRow]] = await m.query(
      `UPDATE card_account SET card_id = $2, lost = CASE WHEN $3 THEN false ELSE lost END, updated_at = now() WHERE card_no = $1
       RETURNING card_no, user_code, card_id, lost, frozen`,
      [cardNo, cardId, old !== null],
    );
    if (old) await this.publish(m, { ...account, card_id: old }, 'replaced');
    if (bound.frozen || bound.lost) await this.publish(m, bound, bound.frozen ? 'frozen' : 'lost');
    return old ? { replaced: old } : {};
  }

  private async publish(m: EntityManager, card: Pick<CardAccountRow, 'card_no' | 'user_code' | 'card_id' | 'lost' | 'frozen'>, change: CardStatusChange): Promise<void> {
    if (!card.card_id) return;
    await this.outbox.add(m, Events.CardStatusChanged, { cardNo: card.card_no, cardId: card.card_id, userCode: card.user_code, lost: card.lost, frozen: card.frozen, change });
  }
}
