import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventMessage, Events } from '@onecard/contracts';
import { HandlesEvent } from '@onecard/messaging';
import { normaliseCardNo, WhitelistService } from './whitelist.service';

/**
 * Cards enter and leave the whitelist from other services' events. Each runs in the platform's
 * inbox transaction (a redelivered event is applied once), and a change older than the card's
 * last one is ignored, so late or reordered deliveries cannot undo a newer state.
 */
@Injectable()
export class WhitelistEvents {
  private readonly logger = new Logger('whitelist-events');

  constructor(private readonly whitelist: WhitelistService) {}

  /** A kiosk issued a card: it is valid from now on. */
  @HandlesEvent(Events.CardIssued)
  async onCardIssued(event: EventMessage<typeof Events.CardIssued>, manager: EntityManager): Promise<void> {
    const cardNo = this.cardNo(event.uid, event);
    if (cardNo) await this.whitelist.apply(manager, [{ cardNo, flag: 1, accountNo: event.cardNo }], 'card.issued', new Date(event.occurredAt));
  }

  /**
   * campus-card: lost or frozen → invalid; found, thawed (neither set) → valid. Replaced → this
   * (old) card is invalid whatever the account's flags say: the account lives on under its new
   * card, which arrives by its own event.
   */
  @HandlesEvent(Events.CardStatusChanged)
  async onStatusChanged(event: EventMessage<typeof Events.CardStatusChanged>, manager: EntityManager): Promise<void> {
    const cardNo = this.cardNo(event.cardId, event);
    const flag = event.change === 'replaced' || event.lost || event.frozen ? 0 : 1;
    if (cardNo) await this.whitelist.apply(manager, [{ cardNo, flag, accountNo: event.cardNo }], 'card.status-changed', new Date(event.occurredAt));
  }

  /** tuya-bridge: cardStatus 1 normal → valid, 2 frozen → invalid; deleted → off the list. */
  @HandlesEvent(Events.TuyaCardChanged)
  async onTuyaCardChanged(event: EventMessage<typeof Events.TuyaCardChanged>, manager: EntityManager): Promise<void> {
    const cardNo = this.cardNo(event.cardNo, event);
    if (!cardNo) return;
    const change = event.change === 'deleted' ? { cardNo, remove: true } : { cardNo, flag: event.cardStatus === 1 ? (1 as const) : (0 as const) };
    await this.whitelist.apply(manager, [change], 'card.changed', new Date(event.occurredAt));
  }

  /** A card number no validator could read is logged and skipped (retrying cannot fix it). */
  private cardNo(raw: string, event: { eventId: string }): string | undefined {
    const cardNo = normaliseCardNo(raw);
    if (!cardNo) this.logger.warn(`event ${event.eventId}: card number is not 1–32 letters/digits; skipped`);
    return cardNo;
  }
}
