/** A person as the bridge stores it (one project's copy of Tuya's list entry). */
export interface PersonRecord {
  projectId: string;
  personId: string;
  name: string | null;
  /** 1 enabled, 2 disabled. */
  enabled: 1 | 2;
  sex: number | null;
  sexStr: string | null;
  certArea: string | null;
  mobileCountry: string | null;
  mobile: string | null;
  feature: string | null;
  imagePath: string | null;
  structureIds: string[];
  structureNames: string[];
  holdCardNum: number;
  containPassword: number | null;
}

/** A personnel card as the bridge stores it; times are epoch milliseconds. */
export interface CardRecord {
  projectId: string;
  personCardId: string;
  personId: string;
  cardNo: string;
  /** Tuya's own status: 1 normal, 2 frozen. */
  cardStatus: 1 | 2;
  cardType: number | null;
  bindFace: number | null;
  activationTime: number | null;
  reportLostTime: number | null;
  cancelReportLostTime: number | null;
  containPassword: number | null;
  canBindFace: boolean | null;
}

/** One project as a sync pulled it from Tuya. */
export interface PulledProject {
  projectId: string;
  persons: PersonRecord[];
  cards: CardRecord[];
  /**
   * Stored persons absent from both listings whom Tuya still knows (personnel-detail answered):
   * a person moved between pages while they were read. Their stored copy and cards are kept.
   */
  keptPersonIds: string[];
}

export const PERSON_FIELDS: ReadonlyArray<keyof PersonRecord> = [
  'projectId', 'personId', 'name', 'enabled', 'sex', 'sexStr', 'certArea', 'mobileCountry', 'mobile', 'feature', 'imagePath', 'structureIds',
  'structureNames', 'holdCardNum', 'containPassword',
];

export const CARD_FIELDS: ReadonlyArray<keyof CardRecord> = [
  'projectId', 'personCardId', 'personId', 'cardNo', 'cardStatus', 'cardType', 'bindFace', 'activationTime', 'reportLostTime', 'cancelReportLostTime',
  'containPassword', 'canBindFace',
];
