import type { CardRecord, PersonRecord } from '../sync/personnel-records';

/**
 * The local API answers as Tuya's gateway does, in snake_case (the document's response
 * examples), leaving out fields it has no value for.
 */
function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

export function personListEntry(p: PersonRecord, cardCount: number): Record<string, unknown> {
  return withoutNulls({
    person_id: p.personId, name: p.name, enabled: p.enabled, sex: p.sex, sex_str: p.sexStr, cert_area: p.certArea, mobile_country: p.mobileCountry,
    mobile: p.mobile, feature: p.feature, image_path: p.imagePath, structure_ids: p.structureIds, structure_names: p.structureNames,
    hold_card_num: cardCount, contain_password: p.containPassword,
  });
}

export function holdCardEntry(p: PersonRecord, c: CardRecord): Record<string, unknown> {
  return withoutNulls({
    name: p.name, person_card_id: c.personCardId, card_no: c.cardNo, project_id: c.projectId, person_id: c.personId, card_type: c.cardType,
    card_status: c.cardStatus, bind_face: c.bindFace, activation_time: c.activationTime, report_lost_time: c.reportLostTime,
    cancel_report_lost_time: c.cancelReportLostTime, contain_password: c.containPassword ?? p.containPassword, structure_names: p.structureNames,
    mobile_country: p.mobileCountry, mobile: p.mobile, can_bind_face: c.canBindFace,
  });
}

export function holdCardsAnswer(p: PersonRecord, cards: CardRecord[]): Record<string, unknown> {
  return {
    all_num: cards.length,
    card_list: cards.map((c) => holdCardEntry(p, c)),
    freeze_num: cards.filter((c) => c.cardStatus === 2).length,
    normal_num: cards.filter((c) => c.cardStatus === 1).length,
  };
}

/** image_url is not kept: Tuya's are signed links that expire; image_path is. */
export function personnelDetail(p: PersonRecord): Record<string, unknown> {
  return withoutNulls({
    person_id: p.personId, name: p.name, mobile_country: p.mobileCountry, mobile: p.mobile, image_path: p.imagePath, structure_names: p.structureNames,
    contain_password: p.containPassword,
  });
}
