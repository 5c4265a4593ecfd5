import { Injectable } from '@nestjs/common';
import { TuyaBridgeConfig } from '../config';
import { TuyaHoldCard, TuyaPerson } from '../tuya-api/dto/tuya-answers.dto';
import { PersonnelCardsApi } from '../tuya-api/personnel-cards.api';
import { CardRecord, PersonRecord, PulledProject } from './personnel-records';

/** A guard against a Tuya that keeps answering pages: more than this many is a fault. */
const MAX_PAGES = 10_000;

export function personRecord(projectId: string, p: TuyaPerson, listedAs: 1 | 2): PersonRecord {
  return {
    projectId, personId: p.personId, name: p.name ?? null, enabled: p.enabled ?? listedAs, sex: p.sex ?? null, sexStr: p.sexStr ?? null,
    certArea: p.certArea ?? null, mobileCountry: p.mobileCountry ?? null, mobile: p.mobile ?? null, feature: p.feature ?? null, imagePath: p.imagePath ?? null,
    structureIds: p.structureIds ?? [], structureNames: p.structureNames ?? [], holdCardNum: p.holdCardNum ?? 0, containPassword: p.containPassword ?? null,
  };
}

/** A card as stored: under the person it was asked for (whatever person_id the answer repeats). */
export function cardRecord(projectId: string, personId: string, c: TuyaHoldCard): CardRecord {
  return {
    projectId, personCardId: c.personCardId, personId, cardNo: c.cardNo, cardStatus: c.cardStatus, cardType: c.cardType ?? null, bindFace: c.bindFace ?? null,
    activationTime: c.activationTime ?? null, reportLostTime: c.reportLostTime ?? null, cancelReportLostTime: c.cancelReportLostTime ?? null,
    containPassword: c.containPassword ?? null, canBindFace: c.canBindFace ?? null,
  };
}

/** Runs `work` on every item, at most `limit` at once; the first failure stops new work and is thrown. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Reads one project from Tuya: every person, enabled and disabled (the list answers enabled
 * persons unless asked), page by page until the listing's total is reached, then each holder's
 * cards. A stored person missing from both listings is asked for by personnel-detail: one Tuya
 * still knows (who moved between pages as they were read) is kept rather than reported gone.
 */
@Injectable()
export class TuyaPuller {
  constructor(
    private readonly api: PersonnelCardsApi,
    private readonly config: TuyaBridgeConfig,
  ) {}

  async pull(projectId: string, storedPersonIds: readonly string[], counter: { requests: number }): Promise<PulledProject> {
    const persons = new Map<string, { record: PersonRecord; knownCardless: boolean }>();
    for (const enabled of [1, 2] as const) {
      let seen = 0;
      for (let page = 1; page <= MAX_PAGES; page++) {
        counter.requests++;
        const answer = await this.api.listPersons({ projectId, page, pageSize: this.config.TUYA_PAGE_SIZE, enabled });
        const list = answer.list ?? [];
        for (const person of list) persons.set(person.personId, { record: personRecord(projectId, person, enabled), knownCardless: person.holdCardNum === 0 });
        seen += list.length;
        if (list.length === 0 || seen >= answer.total) break;
      }
    }

    // By id: a card Tuya listed under two persons is stored once.
    const cards = new Map<string, CardRecord>();
    const holders = [...persons.values()].filter((p) => !p.knownCardless).map((p) => p.record);
    await forEachLimited(holders, this.config.TUYA_SYNC_CONCURRENCY, async (person) => {
      counter.requests++;
      const answer = await this.api.holdCards({ projectId, personId: person.personId });
      for (const card of answer.cardList ?? []) cards.set(card.personCardId, cardRecord(projectId, person.personId, card));
    });

    const keptPersonIds: string[] = [];
    const vanished = storedPersonIds.filter((id) => !persons.has(id));
    await forEachLimited(vanished, this.config.TUYA_SYNC_CONCURRENCY, async (personId) => {
      counter.requests++;
      if (await this.api.personnelDetail({ projectId, personId })) keptPersonIds.push(personId);
    });

    const sorted = [...cards.values()].sort((a, b) => (a.personCardId < b.personCardId ? -1 : a.personCardId > b.personCardId ? 1 : 0));
    return { projectId, persons: [...persons.values()].map((p) => p.record), cards: sorted, keptPersonIds };
  }
}
