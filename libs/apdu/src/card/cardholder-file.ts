import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { TlvFormatError, PersonalisationInputError } from '../errors';
import { decodeFirstTlv, encodeTlv, TlvNode, tagHex } from '../tlv/ber-tlv';

export interface CardholderData {
  cardNo: string;
  /** UTF-8 (Chinese names are 3 bytes per character). */
  name: string;
  idNumber: string;
  company: string;
  /** yyyyMMdd */
  issueDate: string;
  /** yyyyMMdd */
  expiryDate: string;
}

/** Constructed template 70 holding private-class primitives DF01..DF07. */
export const CARDHOLDER_TAG = {
  TEMPLATE: 0x70,
  VERSION: 0xdf01,
  CARD_NO: 0xdf02,
  NAME: 0xdf03,
  ID_NUMBER: 0xdf04,
  COMPANY: 0xdf05,
  ISSUE_DATE: 0xdf06,
  EXPIRY_DATE: 0xdf07,
} as const;

export const CARDHOLDER_FORMAT_VERSION = 1;

const ALNUM = /^[0-9A-Za-z]+$/;
const LIMITS = { cardNo: 32, name: 96, idNumber: 32, company: 192 };

function fail(message: string): never {
  throw new PersonalisationInputError(`cardholder data: ${message}`);
}

/** Real calendar date in yyyyMMdd. */
export function isValidDate(s: string): boolean {
  if (!/^\d{8}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function utf8Field(field: keyof typeof LIMITS, value: string, allowEmpty: boolean): Buffer {
  if (typeof value !== 'string') fail(`${field} must be a string`);
  const bytes = Buffer.from(value, 'utf8');
  if (!allowEmpty && bytes.length === 0) fail(`${field} is empty`);
  if (bytes.length > LIMITS[field]) fail(`${field} is ${bytes.length} bytes, max ${LIMITS[field]}`);
  return bytes;
}

function asciiField(field: 'cardNo' | 'idNumber', value: string): Buffer {
  if (typeof value !== 'string' || !ALNUM.test(value)) fail(`${field} must be non-empty ASCII letters/digits`);
  return utf8Field(field, value, false);
}

function dateField(field: 'issueDate' | 'expiryDate', value: string): Buffer {
  if (typeof value !== 'string' || !isValidDate(value)) fail(`${field} must be a valid yyyyMMdd date, got "${value}"`);
  // BCD, as transport cards store dates: "20250131" -> 20 25 01 31.
  return Buffer.from(value, 'hex');
}

export function validateCardholder(d: CardholderData): void {
  encodeCardholderFile(d);
}

/** TLV image of the cardholder EF. Throws PersonalisationInputError on invalid data. */
export function encodeCardholderFile(d: CardholderData): Buffer {
  const issue = dateField('issueDate', d.issueDate);
  const expiry = dateField('expiryDate', d.expiryDate);
  if (d.expiryDate < d.issueDate) fail(`expiryDate ${d.expiryDate} is before issueDate ${d.issueDate}`);
  return encodeTlv({
    tag: CARDHOLDER_TAG.TEMPLATE,
    children: [
      { tag: CARDHOLDER_TAG.VERSION, value: Buffer.from([CARDHOLDER_FORMAT_VERSION]) },
      { tag: CARDHOLDER_TAG.CARD_NO, value: asciiField('cardNo', d.cardNo) },
      { tag: CARDHOLDER_TAG.NAME, value: utf8Field('name', d.name, false) },
      { tag: CARDHOLDER_TAG.ID_NUMBER, value: asciiField('idNumber', d.idNumber) },
      { tag: CARDHOLDER_TAG.COMPANY, value: utf8Field('company', d.company, true) },
      { tag: CARDHOLDER_TAG.ISSUE_DATE, value: issue },
      { tag: CARDHOLDER_TAG.EXPIRY_DATE, value: expiry },
    ],
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function child(template: TlvNode, tag: number, what: string): Buffer {
  const node = template.children?.find((c) => c.tag === tag);
  if (!node) throw new TlvFormatError(`cardholder file lacks ${tagHex(tag)} (${what})`);
  return node.value;
}

function text(template: TlvNode, tag: number, what: string): string {
  try {
    return utf8.decode(child(template, tag, what));
  } catch (e) {
    if (e instanceof TlvFormatError) throw e;
    throw new TlvFormatError(`cardholder ${what} is not valid UTF-8`);
  }
}

function date(template: TlvNode, tag: number, what: string): string {
  const s = child(template, tag, what).toString('hex');
  if (!isValidDate(s)) throw new TlvFormatError(`cardholder ${what} is not a BCD yyyyMMdd date: ${s.toUpperCase()}`);
  return s;
}

/** Parses the EF image; bytes after the template (unused EF space) are ignored. */
export function decodeCardholderFile(b: Buffer): CardholderData {
  const { node } = decodeFirstTlv(b, 0);
  if (node.tag !== CARDHOLDER_TAG.TEMPLATE) throw new TlvFormatError(`cardholder file starts with tag ${tagHex(node.tag)}, expected 70`);
  const version = child(node, CARDHOLDER_TAG.VERSION, 'format version');
  if (version.length !== 1 || version[0] !== CARDHOLDER_FORMAT_VERSION) {
    throw new TlvFormatError(`unsupported cardholder file version ${version.toString('hex')}`);
  }
  return {
    cardNo: text(node, CARDHOLDER_TAG.CARD_NO, 'card number'),
    name: text(node, CARDHOLDER_TAG.NAME, 'name'),
    idNumber: text(node, CARDHOLDER_TAG.ID_NUMBER, 'ID number'),
    company: text(node, CARDHOLDER_TAG.COMPANY, 'company'),
    issueDate: date(node, CARDHOLDER_TAG.ISSUE_DATE, 'issue date'),
    expiryDate: date(node, CARDHOLDER_TAG.EXPIRY_DATE, 'expiry date'),
  };
}
