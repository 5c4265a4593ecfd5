import { formatWireTime } from '@onecard/platform';

/** The document's four callback paths, under SUPERVISION_CALLBACK_URL. */
export const CALLBACK_PATHS = {
  deleteDevice: '/autosos/callback/otherDevices/deleteDevice',
  identify: '/autosos/callback/otherDevices/identify',
  addPerson: '/autosos/callback/otherDevices/addPerson',
  deletePerson: '/autosos/callback/otherDevices/deletePerson',
} as const;

export type CallbackKind = keyof typeof CALLBACK_PATHS;
export const CALLBACK_KINDS = Object.keys(CALLBACK_PATHS) as CallbackKind[];

/** A form-urlencoded body: the document's fields, in its order, every value text. */
export type CallbackForm = Record<string, string>;

/** The document's `date` fields: `yyyy-MM-dd HH:mm:ss` in the wire time zone. */
const dateField = (at: Date, zone: string) => formatWireTime(at, 'yyyy-MM-dd HH:mm:ss', zone);

/** 删除设备: sn, operationTime. */
export function deleteDeviceForm(deviceKey: string, deletedAt: Date, zone: string): CallbackForm {
  return { sn: deviceKey, operationTime: dateField(deletedAt, zone) };
}

/** 授权回调: the terminal confirmed it holds the person (with this photo). */
export function addPersonForm(deviceKey: string, confirmedAt: Date, personGuid: string, faceGuid: string, zone: string): CallbackForm {
  return { deviceKey, confirmTime: dateField(confirmedAt, zone), personGuid, faceGuid };
}

/** 销权回调: the terminal confirmed it dropped the person. */
export function deletePersonForm(deviceKey: string, confirmedAt: Date, personGuid: string, zone: string): CallbackForm {
  return { deviceKey, confirmTime: dateField(confirmedAt, zone), personGuid };
}

/** A stored recognition record, as the identify callback reports it. */
export interface RecognitionForForm {
  guid: string;
  deviceKey: string;
  personGuid: string;
  photoUrl: string;
  showTimeMs: number;
  type: number;
  recMode: number;
  cardNo: string;
  recType: number;
  personName: string;
  passTimeType: number;
  deviceType: string;
  permissionTimeType: number;
  recModeType: string;
  idCardInfo?: Record<string, unknown> | null;
}

/**
 * 人员识别: sn and operationTime (the recognition time), then the record's fields exactly as the
 * document lists them, numbers as their decimal text; showTime in unix ms as the document's
 * example; idCardInfo, only on records that carry one (人证比对), as its JSON text.
 */
export function identifyForm(r: RecognitionForForm, zone: string): CallbackForm {
  const form: CallbackForm = {
    sn: r.deviceKey,
    operationTime: dateField(new Date(r.showTimeMs), zone),
    guid: r.guid,
    deviceKey: r.deviceKey,
    personGuid: r.personGuid,
    photoUrl: r.photoUrl,
    showTime: String(r.showTimeMs),
    type: String(r.type),
    recMode: String(r.recMode),
    cardNo: r.cardNo,
    recType: String(r.recType),
    personName: r.personName,
    passTimeType: String(r.passTimeType),
    deviceType: r.deviceType,
    permissionTimeType: String(r.permissionTimeType),
    recModeType: r.recModeType,
  };
  if (r.idCardInfo) form.idCardInfo = JSON.stringify(r.idCardInfo);
  return form;
}

/** The urlencoded body of a form, fields in order (what is sent and signed). */
export function encodeForm(form: CallbackForm): string {
  return new URLSearchParams(Object.entries(form)).toString();
}
