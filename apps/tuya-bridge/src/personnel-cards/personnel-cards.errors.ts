export enum PersonnelCardsErrorCode {
  /** No such person in the synced copy (Tuya's "data not exist", 1000). */
  PERSON_NOT_FOUND = 'PERSON_NOT_FOUND',
  /** The project is not one this bridge syncs (Tuya's "permission deny", 1106). */
  PROJECT_NOT_SYNCED = 'PROJECT_NOT_SYNCED',
}
