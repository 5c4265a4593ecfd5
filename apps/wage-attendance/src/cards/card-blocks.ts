import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventMessage, Events } from '@onecard/contracts';
import { HandlesEvent } from '@onecard/messaging';
import { lockSyncClock, NEXT_VERSION } from '../authorisations/sync-clock';
import { cardKey } from '../common/resident-id';

interface BlockChange {
  key: string;
  blocked: boolean;
  reason: string;
}

/**
 * Cards other services report unusable stop passing card recognition at every terminal: the
 * identify judgement refuses them (type 2), and terminals holding a person with that card get the
 * change in their next sync (cardBlocked). Each event runs in the platform's inbox transaction (a
 * redelivery is applied once); a change older than the card's last one is ignored, so late or
 * reordered deliveries cannot undo a newer state.
 */
@Injectable()
export class CardBlocks {
  private readonly logger = new Logger('card-blocks');

  /**
   * campus-card: lost or frozen blocks the physical card (cardId) and the account's card number;
   * found/thawed with neither flag set unblocks them. Replaced blocks the old physical card for
   * good; the account number lives on under the new card.
   */
  @HandlesEvent(Events.CardStatusChanged)
  async onCardStatusChanged(event: EventMessage<typeof Events.CardStatusChanged>, manager: EntityManager): Promise<void> {
    const usable = !event.lost && !event.frozen;
    const reason = event.change === 'replaced' ? 'replaced' : event.lost ? 'lost' : event.frozen ? 'frozen' : event.change;
    const changes: BlockChange[] = [{ key: cardKey(event.cardId), blocked: event.change === 'replaced' || !usable, reason }];
    if (event.change !== 'replaced') changes.push({ key: cardKey(event.cardNo), blocked: !usable, reason });
    await this.apply(manager, changes, 'campus-card', new Date(event.occurredAt));
  }

  /** tuya-bridge: card_status 2 (frozen) or a card deleted in Tuya blocks it; 1 (normal) unblocks it. */
  @HandlesEvent(Events.TuyaCardChanged)
  async onTuyaCardChanged(event: EventMessage<typeof Events.TuyaCardChanged>, manager: EntityManager): Promise<void> {
    const blocked = event.change === 'deleted' || event.cardStatus === 2;
    const reason = event.change === 'deleted' ? 'deleted' : blocked ? 'frozen' : 'normal';
    await this.apply(manager, [{ key: cardKey(event.cardNo), blocked, reason }], 'tuya-bridge', new Date(event.occurredAt));
  }

  private async apply(manager: EntityManager, changes: BlockChange[], source: string, at: Date): Promise<void> {
    const valid = changes.filter((c) => /^[0-9A-Z]{1,32}$/.test(c.key));
    if (valid.length < changes.length) this.logger.warn(`a ${source} card number is not 1–32 letters/digits; skipped`);
    if (valid.length === 0) return;
    await lockSyncClock(manager);
    const changed: Array<{ card_key: string }> = await manager.query(
      `INSERT INTO card_block (card_key, blocked, reason, source, changed_at)
       SELECT key, blocked, reason, $2, $3 FROM json_to_recordset($1::json) AS t(key text, blocked boolean, reason text)
       ON CONFLICT (card_key) DO UPDATE SET blocked = EXCLUDED.blocked, reason = EXCLUDED.reason, source = EXCLUDED.source, changed_at = EXCLUDED.changed_at
        WHERE card_block.changed_at <= EXCLUDED.changed_at
       RETURNING card_key`,
      [JSON.stringify(valid), source, at.toISOString()],
    );
    if (changed.length === 0) return;
    // Terminals holding these persons learn of it in their next sync.
    await manager.query(
      `UPDATE authorisation SET version = ${NEXT_VERSION}, changed_at = now()
        WHERE action = 'add' AND person_guid IN (SELECT guid FROM person WHERE card_key = ANY($1::text[]) AND deleted_at IS NULL)`,
      [changed.map((c) => c.card_key)],
    );
  }
}
