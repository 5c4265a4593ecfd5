import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CardRecord, PersonRecord } from './personnel-records';
import { ProjectChanges } from './sync-diff';

/** Epoch milliseconds of a timestamptz column, exactly (extract gives numeric on Postgres 14+). */
const ms = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::bigint AS "${column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}"`;

export const PERSON_COLUMNS = `project_id AS "projectId", person_id AS "personId", name, enabled, sex, sex_str AS "sexStr", cert_area AS "certArea",
  mobile_country AS "mobileCountry", mobile, feature, image_path AS "imagePath", structure_ids AS "structureIds", structure_names AS "structureNames",
  hold_card_num AS "holdCardNum", contain_password AS "containPassword"`;

export const CARD_COLUMNS = `project_id AS "projectId", person_card_id AS "personCardId", person_id AS "personId", card_no AS "cardNo",
  card_status AS "cardStatus", card_type AS "cardType", bind_face AS "bindFace", ${ms('activation_time')}, ${ms('report_lost_time')},
  ${ms('cancel_report_lost_time')}, contain_password AS "containPassword", can_bind_face AS "canBindFace"`;

/** node-postgres gives bigint as text. */
export function cardFromRow(row: Record<string, unknown>): CardRecord {
  const time = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { ...(row as unknown as CardRecord), activationTime: time(row.activationTime), reportLostTime: time(row.reportLostTime), cancelReportLostTime: time(row.cancelReportLostTime) };
}

/**
 * The stored copy of Tuya's persons and cards. Writes take each batch as ONE JSON parameter
 * read by json_to_recordset (docs/DEVELOPING.md), times as epoch milliseconds.
 */
@Injectable()
export class PersonnelRepository {
  async personIds(manager: EntityManager, projectId: string): Promise<string[]> {
    const rows: Array<{ person_id: string }> = await manager.query(`SELECT person_id FROM person WHERE project_id = $1`, [projectId]);
    return rows.map((r) => r.person_id);
  }

  async load(manager: EntityManager, projectId: string): Promise<{ persons: PersonRecord[]; cards: CardRecord[] }> {
    const persons: PersonRecord[] = await manager.query(`SELECT ${PERSON_COLUMNS} FROM person WHERE project_id = $1 ORDER BY person_id`, [projectId]);
    const cards: Array<Record<string, unknown>> = await manager.query(`SELECT ${CARD_COLUMNS} FROM person_card WHERE project_id = $1 ORDER BY person_card_id`, [projectId]);
    return { persons, cards: cards.map(cardFromRow) };
  }

  /** Writes one project's changes (inside the caller's transaction). */
  async apply(manager: EntityManager, projectId: string, changes: ProjectChanges): Promise<void> {
    if (changes.deleteCardIds.length > 0) {
      await manager.query(`DELETE FROM person_card WHERE project_id = $1 AND person_card_id = ANY($2::text[])`, [projectId, changes.deleteCardIds]);
    }
    if (changes.deletePersonIds.length > 0) {
      await manager.query(`DELETE FROM person WHERE project_id = $1 AND person_id = ANY($2::text[])`, [projectId, changes.deletePersonIds]);
    }
    if (changes.upsertPersons.length > 0) {
      await manager.query(
        `INSERT INTO person (project_id, person_id, name, enabled, sex, sex_str, cert_area, mobile_country, mobile, feature, image_path, structure_ids,
                             structure_names, hold_card_num, contain_password, synced_at)
         SELECT "projectId", "personId", name, enabled, sex, "sexStr", "certArea", "mobileCountry", mobile, feature, "imagePath", "structureIds",
                "structureNames", "holdCardNum", "containPassword", now()
         FROM json_to_recordset($1::json) AS t("projectId" text, "personId" text, name text, enabled smallint, sex smallint, "sexStr" text, "certArea" text,
              "mobileCountry" text, mobile text, feature text, "imagePath" text, "structureIds" jsonb, "structureNames" jsonb, "holdCardNum" integer,
              "containPassword" smallint)
         ON CONFLICT (project_id, person_id) DO UPDATE SET
           name = EXCLUDED.name, enabled = EXCLUDED.enabled, sex = EXCLUDED.sex, sex_str = EXCLUDED.sex_str, cert_area = EXCLUDED.cert_area,
           mobile_country = EXCLUDED.mobile_country, mobile = EXCLUDED.mobile, feature = EXCLUDED.feature, image_path = EXCLUDED.image_path,
           structure_ids = EXCLUDED.structure_ids, structure_names = EXCLUDED.structure_names, hold_card_num = EXCLUDED.hold_card_num,
           contain_password = EXCLUDED.contain_password, synced_at = now()`,
        [JSON.stringify(changes.upsertPersons)],
      );
    }
    if (changes.upsertCards.length > 0) {
      await manager.query(
        `INSERT INTO person_card (project_id, person_card_id, person_id, card_no, card_status, card_type, bind_face, activation_time, report_lost_time,
                                  cancel_report_lost_time, contain_password, can_bind_face, synced_at)
         SELECT "projectId", "personCardId", "personId", "cardNo", "cardStatus", "cardType", "bindFace", to_timestamp("activationTime" / 1000.0),
                to_timestamp("reportLostTime" / 1000.0), to_timestamp("cancelReportLostTime" / 1000.0), "containPassword", "canBindFace", now()
         FROM json_to_recordset($1::json) AS t("projectId" text, "personCardId" text, "personId" text, "cardNo" text, "cardStatus" smallint,
              "cardType" smallint, "bindFace" smallint, "activationTime" bigint, "reportLostTime" bigint, "cancelReportLostTime" bigint,
              "containPassword" smallint, "canBindFace" boolean)
         ON CONFLICT (project_id, person_card_id) DO UPDATE SET
           person_id = EXCLUDED.person_id, card_no = EXCLUDED.card_no, card_status = EXCLUDED.card_status, card_type = EXCLUDED.card_type,
           bind_face = EXCLUDED.bind_face, activation_time = EXCLUDED.activation_time, report_lost_time = EXCLUDED.report_lost_time,
           cancel_report_lost_time = EXCLUDED.cancel_report_lost_time, contain_password = EXCLUDED.contain_password,
           can_bind_face = EXCLUDED.can_bind_face, synced_at = now()`,
        [JSON.stringify(changes.upsertCards)],
      );
    }
  }
}
