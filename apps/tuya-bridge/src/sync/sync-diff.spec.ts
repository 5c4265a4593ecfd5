import { CardRecord, PersonRecord, PulledProject } from './personnel-records';
import { diffProject } from './sync-diff';

const P = 'P1';

function person(personId: string, extra: Partial<PersonRecord> = {}): PersonRecord {
  return {
    projectId: P, personId, name: `name-${personId}`, enabled: 1, sex: 1, sexStr: '男', certArea: 'CN', mobileCountry: '+86', mobile: '138****0000',
    feature: null, imagePath: null, structureIds: ['S1'], structureNames: ['root'], holdCardNum: 1, containPassword: 0, ...extra,
  };
}

function card(personCardId: string, personId: string, extra: Partial<CardRecord> = {}): CardRecord {
  return {
    projectId: P, personCardId, personId, cardNo: `NO-${personCardId}`, cardStatus: 1, cardType: 1, bindFace: 0, activationTime: 1662544806542,
    reportLostTime: null, cancelReportLostTime: null, containPassword: 0, canBindFace: null, ...extra,
  };
}

function pulled(persons: PersonRecord[], cards: CardRecord[], keptPersonIds: string[] = []): PulledProject {
  return { projectId: P, persons, cards, keptPersonIds };
}

describe('diffProject', () => {
  const stored = { persons: [person('a'), person('b'), person('c')], cards: [card('a1', 'a'), card('a2', 'a', { cardStatus: 2 }), card('b1', 'b'), card('c1', 'c')] };

  it('changes nothing and publishes nothing when Tuya answers what is stored', () => {
    expect(diffProject(stored, pulled(stored.persons, stored.cards))).toEqual({ upsertPersons: [], deletePersonIds: [], upsertCards: [], deleteCardIds: [], events: [] });
  });

  it('announces every card of a first sync as created, frozen ones with their status', () => {
    const changes = diffProject({ persons: [], cards: [] }, pulled(stored.persons, stored.cards));
    expect(changes.upsertPersons).toHaveLength(3);
    expect(changes.upsertCards).toHaveLength(4);
    expect(changes.events.map((e) => [e.personCardId, e.change, e.cardStatus, e.reason])).toEqual([
      ['a1', 'created', 1, 'card-added'],
      ['a2', 'created', 2, 'card-added'],
      ['b1', 'created', 1, 'card-added'],
      ['c1', 'created', 1, 'card-added'],
    ]);
  });

  it('detects a new card, a frozen and a restored card, a removed card, and a disabled and a removed person', () => {
    const now = pulled(
      [person('a'), person('b', { enabled: 2 }), person('d')],
      [card('a1', 'a', { cardStatus: 2 }), card('a2', 'a', { cardStatus: 1 }), card('b1', 'b'), card('d1', 'd')],
    );
    const changes = diffProject(stored, now);
    expect(changes.events).toEqual([
      { projectId: P, personId: 'a', personCardId: 'a1', cardNo: 'NO-a1', cardStatus: 2, change: 'updated', reason: 'card-status' },
      { projectId: P, personId: 'a', personCardId: 'a2', cardNo: 'NO-a2', cardStatus: 1, change: 'updated', reason: 'card-status' },
      { projectId: P, personId: 'b', personCardId: 'b1', cardNo: 'NO-b1', cardStatus: 2, change: 'updated', reason: 'person-disabled' },
      { projectId: P, personId: 'c', personCardId: 'c1', cardNo: 'NO-c1', cardStatus: 1, change: 'deleted', reason: 'person-removed' },
      { projectId: P, personId: 'd', personCardId: 'd1', cardNo: 'NO-d1', cardStatus: 1, change: 'created', reason: 'card-added' },
    ]);
    expect(changes.deletePersonIds).toEqual(['c']);
    expect(changes.deleteCardIds).toEqual(['c1']);
    expect(changes.upsertPersons.map((p) => p.personId)).toEqual(['b', 'd']);
    // b1 itself did not change in Tuya: only its holder did.
    expect(changes.upsertCards.map((c) => c.personCardId)).toEqual(['a1', 'a2', 'd1']);
  });

  it('restores a disabled person\'s cards as they are in Tuya when the person is enabled again', () => {
    const before = { persons: [person('a', { enabled: 2 })], cards: [card('a1', 'a'), card('a2', 'a', { cardStatus: 2 })] };
    const changes = diffProject(before, pulled([person('a')], before.cards));
    // a2 is frozen in Tuya itself, so for consumers nothing changed.
    expect(changes.events.map((e) => [e.personCardId, e.change, e.cardStatus, e.reason])).toEqual([['a1', 'updated', 1, 'person-enabled']]);
  });

  it('reports a card removed from a person who stays, and nothing for a frozen card of a disabled person', () => {
    const before = { persons: [person('a'), person('b', { enabled: 2 })], cards: [card('a1', 'a'), card('a2', 'a'), card('b1', 'b')] };
    const changes = diffProject(before, pulled(before.persons, [card('a1', 'a'), card('b1', 'b', { cardStatus: 2 })]));
    expect(changes.events.map((e) => [e.personCardId, e.change, e.reason])).toEqual([['a2', 'deleted', 'card-removed']]);
    expect(changes.upsertCards.map((c) => c.personCardId)).toEqual(['b1']);
  });

  it('treats a new card number as the old card removed and a new one added', () => {
    const changes = diffProject(stored, pulled(stored.persons, [card('a1', 'a', { cardNo: 'NEW' }), ...stored.cards.slice(1)]));
    expect(changes.events.map((e) => [e.cardNo, e.change])).toEqual([['NO-a1', 'deleted'], ['NEW', 'created']]);
    expect(changes.upsertCards.map((c) => c.cardNo)).toEqual(['NEW']);
  });

  it('stores other field changes without an event', () => {
    const changes = diffProject(stored, pulled([person('a', { name: 'renamed' }), ...stored.persons.slice(1)], [card('a1', 'a', { bindFace: 1 }), ...stored.cards.slice(1)]));
    expect(changes.events).toEqual([]);
    expect(changes.upsertPersons.map((p) => p.name)).toEqual(['renamed']);
    expect(changes.upsertCards.map((c) => c.bindFace)).toEqual([1]);
  });

  it('keeps a person Tuya still knows but neither listing showed, with their cards', () => {
    const changes = diffProject(stored, pulled([person('a'), person('b')], stored.cards.filter((c) => c.personId !== 'c'), ['c']));
    expect(changes).toEqual({ upsertPersons: [], deletePersonIds: [], upsertCards: [], deleteCardIds: [], events: [] });
  });
});
