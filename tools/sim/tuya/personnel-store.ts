/** The fake's building data: per project, persons and their cards, kept in memory. */

export interface FakePerson {
  personId: string;
  name: string;
  /** 1 enabled, 2 disabled. */
  enabled: 1 | 2;
  sex: number;
  sexStr: string;
  certArea: string;
  mobileCountry: string;
  mobile: string;
  imagePath: string;
  structureIds: string[];
  structureNames: string[];
  containPassword: 0 | 1;
}

export interface FakeCard {
  personCardId: string;
  personId: string;
  cardNo: string;
  /** 1 normal, 2 frozen. */
  cardStatus: 1 | 2;
  cardType: 1 | 2;
  bindFace: 0 | 1;
  activationTime: number;
  reportLostTime?: number;
  cancelReportLostTime?: number;
}

export interface SeedOptions {
  projectId: string;
  persons: number;
  cardsPerPerson: number;
  /** Every n-th person is disabled (0: none). */
  disabledEvery?: number;
  /** Every n-th card is frozen (0: none). */
  frozenEvery?: number;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛'];

export class PersonnelStore {
  private readonly projects = new Map<string, { persons: Map<string, FakePerson>; cards: Map<string, FakeCard> }>();

  /** Replaces a project's data with `persons` persons of `cardsPerPerson` cards each, always the same for the same options. */
  seed(options: SeedOptions): void {
    const project = { persons: new Map<string, FakePerson>(), cards: new Map<string, FakeCard>() };
    const base = 1_572_065_489_755_000;
    for (let i = 1; i <= options.persons; i++) {
      const personId = String(base + i);
      project.persons.set(personId, {
        personId,
        name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}${i}`,
        enabled: options.disabledEvery && i % options.disabledEvery === 0 ? 2 : 1,
        sex: (i % 2) + 1,
        sexStr: i % 2 === 0 ? '男' : '女',
        certArea: 'CN',
        mobileCountry: '+86',
        mobile: `138****${String(i).padStart(4, '0').slice(-4)}`,
        imagePath: `saas/building/building_faceImg/${personId}.jpg`,
        structureIds: ['1439128101413011001'],
        structureNames: ['根组织'],
        containPassword: 0,
      });
      for (let c = 1; c <= options.cardsPerPerson; c++) {
        const n = (i - 1) * options.cardsPerPerson + c;
        const personCardId = String(1_567_452_642_714_000 + n);
        project.cards.set(personCardId, {
          personCardId,
          personId,
          cardNo: String(45_450_000 + n),
          cardStatus: options.frozenEvery && n % options.frozenEvery === 0 ? 2 : 1,
          cardType: 1,
          bindFace: (n % 2) as 0 | 1,
          activationTime: 1_662_544_806_542 + n * 1000,
        });
      }
    }
    this.projects.set(options.projectId, project);
  }

  has(projectId: string): boolean {
    return this.projects.has(projectId);
  }

  persons(projectId: string): FakePerson[] {
    return [...(this.projects.get(projectId)?.persons.values() ?? [])].sort((a, b) => (a.personId < b.personId ? -1 : 1));
  }

  person(projectId: string, personId: string): FakePerson | undefined {
    return this.projects.get(projectId)?.persons.get(personId);
  }

  cardsOf(projectId: string, personId: string): FakeCard[] {
    return [...(this.projects.get(projectId)?.cards.values() ?? [])].filter((c) => c.personId === personId).sort((a, b) => (a.personCardId < b.personCardId ? -1 : 1));
  }

  card(projectId: string, personCardId: string): FakeCard | undefined {
    return this.projects.get(projectId)?.cards.get(personCardId);
  }

  /** Adds or changes a person (the fields given); a new one needs `name`. */
  putPerson(projectId: string, personId: string, fields: Partial<FakePerson>): FakePerson {
    const project = this.project(projectId);
    const before = project.persons.get(personId);
    const person: FakePerson = {
      personId, name: '', enabled: 1, sex: 1, sexStr: '男', certArea: 'CN', mobileCountry: '+86', mobile: '', imagePath: '', structureIds: [],
      structureNames: [], containPassword: 0, ...before, ...fields,
    };
    person.personId = personId;
    project.persons.set(personId, person);
    return person;
  }

  removePerson(projectId: string, personId: string): boolean {
    const project = this.projects.get(projectId);
    if (!project?.persons.delete(personId)) return false;
    for (const [id, card] of project.cards) if (card.personId === personId) project.cards.delete(id);
    return true;
  }

  /** Adds or changes a card; its person must exist. */
  putCard(projectId: string, personCardId: string, fields: Partial<FakeCard>): FakeCard {
    const project = this.project(projectId);
    const before = project.cards.get(personCardId);
    const card: FakeCard = { personCardId, personId: '', cardNo: '', cardStatus: 1, cardType: 1, bindFace: 0, activationTime: Date.now(), ...before, ...fields };
    card.personCardId = personCardId;
    if (!project.persons.has(card.personId)) throw new Error(`no person ${card.personId} in project ${projectId}`);
    if (fields.cardStatus === 2 && before?.cardStatus !== 2) card.reportLostTime = Date.now();
    if (fields.cardStatus === 1 && before?.cardStatus === 2) card.cancelReportLostTime = Date.now();
    project.cards.set(personCardId, card);
    return card;
  }

  removeCard(projectId: string, personCardId: string): boolean {
    return this.projects.get(projectId)?.cards.delete(personCardId) ?? false;
  }

  counts(): Record<string, { persons: number; cards: number }> {
    return Object.fromEntries([...this.projects].map(([id, p]) => [id, { persons: p.persons.size, cards: p.cards.size }]));
  }

  private project(projectId: string) {
    let project = this.projects.get(projectId);
    if (!project) {
      project = { persons: new Map(), cards: new Map() };
      this.projects.set(projectId, project);
    }
    return project;
  }
}
