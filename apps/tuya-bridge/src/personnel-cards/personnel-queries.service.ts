import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { TuyaBridgeConfig } from '../config';
import { CARD_COLUMNS, cardFromRow, PERSON_COLUMNS } from '../sync/personnel-repository';
import { PersonRecord } from '../sync/personnel-records';
import { HoldCardsParams, PersonnelDetailParams, PersonnelListParams } from './dto/personnel-cards.params';
import { holdCardsAnswer, personListEntry, personnelDetail } from './personnel-answers';
import { PersonnelCardsErrorCode } from './personnel-cards.errors';

const DEFAULT_PAGE_SIZE = 20;

/** `%` and `_` typed in a name are letters, not wildcards. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The document's three reads, answered from the synced copy. */
@Injectable()
export class PersonnelQueries {
  constructor(
    private readonly db: DataSource,
    private readonly config: TuyaBridgeConfig,
  ) {}

  /** A project this bridge does not sync is Tuya's "permission deny", not an empty answer. */
  assertSynced(projectId: string): void {
    if (!this.config.tuyaProjectIds.includes(projectId)) {
      throw new AppError(ErrorKind.FORBIDDEN, PersonnelCardsErrorCode.PROJECT_NOT_SYNCED, `projectId: project ${projectId} is not synced by this bridge`, 'projectId');
    }
  }

  /**
   * Persons matching every filter given, by person id, one page: `{total, list}`. structureId
   * matches persons linked to that organisation directly, whatever searchType says (the bridge
   * does not hold the organisation tree); card filters match persons holding such a card.
   */
  async list(q: PersonnelListParams): Promise<{ total: number; list: Array<Record<string, unknown>> }> {
    this.assertSynced(q.projectId);
    const params: unknown[] = [q.projectId, q.enabled ?? 1];
    const where = ['p.project_id = $1', 'p.enabled = $2'];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.structureId !== undefined) add((n) => `p.structure_ids ? ${n}`, q.structureId);
    if (q.name !== undefined) add((n) => `p.name ILIKE '%' || ${n} || '%'`, likeEscape(q.name));
    if (q.sex !== undefined) add((n) => `p.sex = ${n}`, q.sex);
    if (q.mobile !== undefined) add((n) => `p.mobile = ${n}`, q.mobile);
    if (q.feature !== undefined) add((n) => `p.feature = ${n}`, q.feature);
    if (q.containPassword !== undefined) add((n) => `coalesce(p.contain_password, 0) = ${n}`, q.containPassword);
    if (q.personId !== undefined) add((n) => `p.person_id = ${n}`, q.personId);
    const card: string[] = [];
    const addCard = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      card.push(sql(`$${params.length}`));
    };
    if (q.cardStatus !== undefined) addCard((n) => `c.card_status = ${n}`, q.cardStatus);
    if (q.cardNo !== undefined) addCard((n) => `c.card_no = ${n}`, q.cardNo);
    if (q.cardType !== undefined) addCard((n) => `c.card_type = ${n}`, q.cardType);
    const holds = `EXISTS (SELECT 1 FROM person_card c WHERE c.project_id = p.project_id AND c.person_id = p.person_id${card.map((c) => ` AND ${c}`).join('')})`;
    if (card.length > 0 || q.holdCard === '1') where.push(holds);
    if (q.holdCard === '0') where.push(`NOT EXISTS (SELECT 1 FROM person_card c WHERE c.project_id = p.project_id AND c.person_id = p.person_id)`);

    const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
    const offset = ((q.page ?? 1) - 1) * pageSize;
    const filter = where.join(' AND ');
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM person p WHERE ${filter}`, params);
    const rows: Array<PersonRecord & { cardCount: number }> = await this.db.query(
      `SELECT ${PERSON_COLUMNS}, "cardCount" FROM (
         SELECT p.*, (SELECT count(*)::int FROM person_card c WHERE c.project_id = p.project_id AND c.person_id = p.person_id) AS "cardCount"
         FROM person p WHERE ${filter} ORDER BY p.person_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}
       ) page ORDER BY person_id`,
      [...params, pageSize, offset],
    );
    return { total, list: rows.map((row) => personListEntry(row, row.cardCount)) };
  }

  /** `{all_num, card_list, freeze_num, normal_num}` of one person, filtered by cardStatus and cardNo when given. */
  async holdCards(q: HoldCardsParams): Promise<Record<string, unknown>> {
    const person = await this.person(q.projectId, q.personId);
    const params: unknown[] = [q.projectId, q.personId];
    let filter = '';
    if (q.cardStatus !== undefined) {
      params.push(q.cardStatus);
      filter += ` AND card_status = $${params.length}`;
    }
    if (q.cardNo !== undefined) {
      params.push(q.cardNo);
      filter += ` AND card_no = $${params.length}`;
    }
    const rows = await this.db.query(`SELECT ${CARD_COLUMNS} FROM person_card WHERE project_id = $1 AND person_id = $2${filter} ORDER BY person_card_id`, params);
    return holdCardsAnswer(person, rows.map(cardFromRow));
  }

  async detail(q: PersonnelDetailParams): Promise<Record<string, unknown>> {
    return personnelDetail(await this.person(q.projectId, q.personId));
  }

  async person(projectId: string, personId: string): Promise<PersonRecord> {
    this.assertSynced(projectId);
    const [person] = await this.db.query(`SELECT ${PERSON_COLUMNS} FROM person WHERE project_id = $1 AND person_id = $2`, [projectId, personId]);
    if (!person) throw new AppError(ErrorKind.NOT_FOUND, PersonnelCardsErrorCode.PERSON_NOT_FOUND, `personId: no person ${personId} in project ${projectId}`, 'personId');
    return person as PersonRecord;
  }
}
