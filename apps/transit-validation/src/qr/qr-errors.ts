/** Errors of QR key groups and ticket issuance (ticket check outcomes are answers: checks/check-outcome.ts). */
export enum QrErrorCode {
  NO_KEY_GROUP = 'NO_KEY_GROUP',
}
