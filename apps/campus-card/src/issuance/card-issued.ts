import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventMessage, Events } from '@onecard/contracts';
import { HandlesEvent } from '@onecard/messaging';
import { AccountOpening } from '../cards/account-opening';
import { CardStatusService } from '../cards/card-status.service';

type CardIssued = EventMessage<typeof Events.CardIssued>;

interface AccountRef {
  card_no: string;
  card_id: string | null;
  card_type: string;
}

/**
 * Kiosk-issued cards (card-issuance's card.issued) reach their accounts. The order's userId is
 * the campus userCode. An open-card order (1) binds the card to the user's formal (800) account,
 * opening it (number = the one printed on the card) when there is none; a reissue (22) binds the
 * new card to the account whose card it replaces, balance untouched, and that card is published
 * `replaced`. What cannot be applied (unknown user, a card already bound elsewhere…) is kept in
 * unmatched_card_issue for operators (GET /admin/card-issues), never dropped; they retry it once
 * the cause is fixed.
 */
@Injectable()
export class CardIssuedConsumer {
  private readonly logger = new Logger('card-issued');

  constructor(
    private readonly opening: AccountOpening,
    private readonly status: CardStatusService,
  ) {}

  @HandlesEvent(Events.CardIssued)
  async onCardIssued(event: CardIssued, manager: EntityManager): Promise<void> {
    const problem = await this.apply(manager, event);
    if (!problem) return;
    this.logger.warn(`card.issued ${event.eventId} (order ${event.orderId}) kept for operators: ${problem}`);
    await manager.query(
      `INSERT INTO unmatched_card_issue (event_id, order_id, order_type, user_code, card_id, reason, event) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (event_id) DO UPDATE SET reason = EXCLUDED.reason`,
      [event.eventId, event.orderId, event.orderType, event.userId, event.uid, problem, JSON.stringify(event)],
    );
  }

  /** Applies the event; returns why it could not be, or undefined once applied (or already). */
  async apply(m: EntityManager, event: CardIssued): Promise<string | undefined> {
    const [user] = await m.query(`SELECT user_code FROM campus_user WHERE user_code = $1 FOR SHARE`, [event.userId]);
    if (!user) return `no campus user ${event.userId}`;
    const [bound] = await m.query(`SELECT p.card_no, a.user_code FROM physical_card p JOIN card_account a USING (card_no) WHERE p.card_id = $1`, [event.uid]);
    if (bound) return bound.user_code === event.userId ? undefined : `card ${event.uid} is bound to card account ${bound.card_no} of another user`;
    const accounts: AccountRef[] = await m.query(
      `SELECT a.card_no, a.card_id, a.card_type FROM card_account a WHERE a.user_code = $1
        ORDER BY a.card_type, (SELECT max(bound_at) FROM physical_card p WHERE p.card_no = a.card_no) DESC NULLS LAST`,
      [event.userId],
    );
    return event.orderType === 1 ? this.openCard(m, event, accounts) : this.reissue(m, event, accounts);
  }

  private async openCard(m: EntityManager, event: CardIssued, accounts: AccountRef[]): Promise<string | undefined> {
    const formal = accounts.find((a) => a.card_type === '800');
    if (formal?.card_id) return `user already has card ${formal.card_id} on card account ${formal.card_no}; a replacement is a reissue (orderType 22)`;
    const cardNo =
      formal?.card_no ??
      (
        await this.opening.open(m, {
          userCode: event.userId,
          cardType: '800',
          expireDate: event.expiryDate,
          openAmountFen: 0,
          free: true,
          openedBy: `order:${event.orderId}`,
          cardNo: event.cardNo,
          cardId: event.uid,
        })
      ).card.card_no;
    await this.status.bind(m, cardNo, event.uid, event.orderId);
    return undefined;
  }

  /** The account whose card is replaced: the user's card-holding account (formal first), else one without a card yet. */
  private async reissue(m: EntityManager, event: CardIssued, accounts: AccountRef[]): Promise<string | undefined> {
    const account = accounts.find((a) => a.card_id) ?? accounts[0];
    if (!account) return `user ${event.userId} has no card account to reissue a card for`;
    await this.status.bind(m, account.card_no, event.uid, event.orderId);
    return undefined;
  }
}
