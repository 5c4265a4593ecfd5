import { AuthErrorCode } from '../auth/auth-errors';
import { BATCH_BUSY } from '../core/batch-writer';
import { DeviceErrorCode } from '../devices/device-errors';
import { WhitelistErrorCode } from '../whitelist/whitelist-errors';
import { QrErrorCode } from '../qr/qr-errors';
import { CheckAnswerEnvelope } from './validator-envelope';

/**
 * ret_code of each feature error (the envelope falls back to one code per ErrorKind: 1001 bad
 * input, 1002 unauthenticated, 1004 not found, 1005 conflict, 5000 internal, 5003 unavailable).
 * Check outcomes (2xxx cards, 3xxx QR tickets) are answers, not errors: see checks/check-outcome.ts.
 */
export const FEATURE_RET_CODES: Record<string, number> = {
  [AuthErrorCode.TOKEN_MISSING]: 1101,
  [AuthErrorCode.TOKEN_INVALID]: 1102,
  [AuthErrorCode.TOKEN_EXPIRED]: 1103,
  [AuthErrorCode.TOKEN_DEVICE_MISMATCH]: 1104,
  [AuthErrorCode.DEVICE_UNKNOWN]: 1105,
  [AuthErrorCode.SIGN_INVALID]: 1106,
  [AuthErrorCode.TIMESTAMP_SKEW]: 1107,
  [AuthErrorCode.NONCE_REUSED]: 1108,
  [AuthErrorCode.DEVICE_DISABLED]: 1109,
  [DeviceErrorCode.DEVICE_EXISTS]: 1201,
  [DeviceErrorCode.DEVICE_NOT_FOUND]: 1202,
  [WhitelistErrorCode.FULL_LIST_REQUIRED]: 1301,
  [WhitelistErrorCode.CARD_NOT_FOUND]: 1302,
  [QrErrorCode.NO_KEY_GROUP]: 1401,
  [BATCH_BUSY]: 5031,
};

/** The same table for /docs. */
export const RET_CODE_DOC = [
  '| ret_code | meaning |',
  '| --- | --- |',
  '| 0 | success (for checks: valid) |',
  '| 1001 | a request field is missing or malformed (ret_msg names it); also text that cannot be stored, NUL or a lone UTF-16 surrogate such as "\\ud800": refused, not repaired |',
  '| 1002 | operator token missing or rejected (/admin) |',
  '| 1101 / 1102 / 1103 / 1104 | device token missing / invalid or revoked / expired / issued to another device_id |',
  '| 1105 / 1106 / 1107 / 1108 | get_token: unknown device_id / wrong sign / timestamp too far from server time / nonce already used |',
  '| 1109 | the device is disabled by an operator: every call and get_token refused until it is enabled again (then get a new token) |',
  '| 1201 / 1202 | /admin: device_id already registered / no such device |',
  '| 1301 | incremental list impossible from the reported version: download the full list (type 1) |',
  '| 1302 | /admin: no such card |',
  '| 1401 | no QR key group yet |',
  '| 2001–2004, 3001–3004 | check outcomes, with sound_no: see card_check and ticket_check |',
  '| 5000 / 5003 / 5031 | internal error / database or NATS unavailable / busy storing earlier reports, retry |',
].join('\n');

/** The envelope of the card and QR check calls (see CheckAnswerEnvelope). */
export const CHECK_ANSWERS = new CheckAnswerEnvelope(FEATURE_RET_CODES);
