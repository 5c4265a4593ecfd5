import type { EventPayload, Events, TuyaCardChangeReason } from '@onecard/contracts';
import { CARD_FIELDS, CardRecord, PERSON_FIELDS, PersonRecord, PulledProject } from './personnel-records';

export type CardChanged = EventPayload<typeof Events.TuyaCardChanged>;

/** What one project's sync writes: only rows that changed, and one event per changed card. */
export interface ProjectChanges {
  upsertPersons: PersonRecord[];
  deletePersonIds: string[];
  upsertCards: CardRecord[];
  deleteCardIds: string[];
  events: CardChanged[];
}

/** Whether the card opens doors: its own status, except that a disabled person's cards are all frozen. */
export function effectiveStatus(card: CardRecord, person: PersonRecord | undefined): 1 | 2 {
  return person?.enabled === 2 ? 2 : card.cardStatus;
}

function same<T extends object>(a: T, b: T, fields: ReadonlyArray<keyof T>): boolean {
  return fields.every((field) => JSON.stringify(a[field] ?? null) === JSON.stringify(b[field] ?? null));
}

function event(card: CardRecord, cardStatus: 1 | 2, change: CardChanged['change'], reason: TuyaCardChangeReason): CardChanged {
  return { projectId: card.projectId, personId: card.personId, personCardId: card.personCardId, cardNo: card.cardNo, cardStatus, change, reason };
}

/** Why a card's effective status moved: its own status, else its holder's. */
function statusReason(before: CardRecord, after: CardRecord, afterPerson: PersonRecord | undefined): TuyaCardChangeReason {
  if (before.cardStatus !== after.cardStatus && afterPerson?.enabled !== 2) return 'card-status';
  return afterPerson?.enabled === 2 ? 'person-disabled' : 'person-enabled';
}

const byPersonThenCard = (a: CardChanged, b: CardChanged): number =>
  a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : a.personCardId < b.personCardId ? -1 : a.personCardId > b.personCardId ? 1 : 0;

/**
 * Compares one project's stored copy with what Tuya answered now. A card gets an event when it
 * appears, disappears, or its effective status (effectiveStatus) moves; a card whose number
 * changed is the old card removed and a new one added. Other field changes (a name, bindFace)
 * are stored without an event. Persons Tuya still knows but neither listing showed
 * (`keptPersonIds`) keep their stored copy and cards.
 */
export function diffProject(stored: { persons: PersonRecord[]; cards: CardRecord[] }, pulled: PulledProject): ProjectChanges {
  const storedPersons = new Map(stored.persons.map((p) => [p.personId, p]));
  const pulledPersons = new Map(pulled.persons.map((p) => [p.personId, p]));
  const kept = new Set(pulled.keptPersonIds);
  const pulledCards = new Map(pulled.cards.map((c) => [c.personCardId, c]));
  const changes: ProjectChanges = { upsertPersons: [], deletePersonIds: [], upsertCards: [], deleteCardIds: [], events: [] };

  for (const person of pulled.persons) {
    const before = storedPersons.get(person.personId);
    if (!before || !same(before, person, PERSON_FIELDS)) changes.upsertPersons.push(person);
  }
  for (const person of stored.persons) {
    if (!pulledPersons.has(person.personId) && !kept.has(person.personId)) changes.deletePersonIds.push(person.personId);
  }

  for (const before of stored.cards) {
    const after = pulledCards.get(before.personCardId);
    const holderBefore = storedPersons.get(before.personId);
    if (!after) {
      if (kept.has(before.personId)) continue;
      const holderGone = !pulledPersons.has(before.personId);
      changes.deleteCardIds.push(before.personCardId);
      changes.events.push(event(before, effectiveStatus(before, holderBefore), 'deleted', holderGone ? 'person-removed' : 'card-removed'));
      continue;
    }
    const holderAfter = pulledPersons.get(after.personId);
    if (before.cardNo !== after.cardNo) {
      // Consumers key cards by number: the old number goes, the new one comes.
      changes.events.push(event(before, effectiveStatus(before, holderBefore), 'deleted', 'card-removed'));
      changes.events.push(event(after, effectiveStatus(after, holderAfter), 'created', 'card-added'));
    } else {
      const was = effectiveStatus(before, holderBefore);
      const now = effectiveStatus(after, holderAfter);
      if (was !== now) changes.events.push(event(after, now, 'updated', statusReason(before, after, holderAfter)));
    }
    if (!same(before, after, CARD_FIELDS)) changes.upsertCards.push(after);
  }

  const storedCardIds = new Set(stored.cards.map((c) => c.personCardId));
  for (const card of pulled.cards) {
    if (storedCardIds.has(card.personCardId)) continue;
    changes.upsertCards.push(card);
    changes.events.push(event(card, effectiveStatus(card, pulledPersons.get(card.personId)), 'created', 'card-added'));
  }

  changes.events.sort(byPersonThenCard);
  return changes;
}
