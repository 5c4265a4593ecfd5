import { Buffer } from 'node:buffer';
import { toHex } from '../bytes';
import { TlvFormatError } from '../errors';

/**
 * BER-TLV as used by ISO 7816-4 / EMV: multi-byte tags, definite lengths up to
 * 4 length bytes. Indefinite length (0x80) is rejected as EMV and DER do.
 * Tags are numbers holding the tag bytes big-endian (0x9F02, 0xDF01, 0x70).
 */
export interface TlvNode {
  tag: number;
  /** Raw value bytes; for constructed tags the encoded children. */
  value: Buffer;
  /** Parsed children, present for constructed tags. */
  children?: TlvNode[];
}

export interface TlvInput {
  tag: number;
  value?: Uint8Array;
  children?: TlvInput[];
}

const MAX_TAG_BYTES = 4;
const MAX_LENGTH_BYTES = 4;

export function tagBytes(tag: number): Buffer {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffffff) throw new TlvFormatError(`invalid tag ${tag}`);
  const bytes: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) bytes.unshift(t & 0xff);
  const first = bytes[0];
  const multi = (first & 0x1f) === 0x1f;
  const ok = multi
    ? bytes.length > 1 && bytes.slice(1, -1).every((b) => (b & 0x80) !== 0) && (bytes[bytes.length - 1] & 0x80) === 0
    : bytes.length === 1;
  if (!ok) throw new TlvFormatError(`tag ${tagHex(tag)} is not a well-formed BER tag`);
  return Buffer.from(bytes);
}

export function tagHex(tag: number): string {
  const hex = tag.toString(16).toUpperCase();
  return hex.length % 2 ? `0${hex}` : hex;
}

/** Bit 6 of the first tag byte marks a constructed data object. */
export function isConstructedTag(tag: number): boolean {
  let first = tag;
  while (first > 0xff) first = Math.floor(first / 256);
  return (first & 0x20) !== 0;
}

export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new TlvFormatError(`invalid length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function encodeTlv(input: TlvInput | TlvInput[]): Buffer {
  if (Array.isArray(input)) return Buffer.concat(input.map((n) => encodeTlv(n)));
  if (input.children && input.value) throw new TlvFormatError(`tag ${tagHex(input.tag)} has both value and children`);
  if (input.children && !isConstructedTag(input.tag)) {
    throw new TlvFormatError(`primitive tag ${tagHex(input.tag)} cannot have children`);
  }
  const value = input.children ? encodeTlv(input.children) : Buffer.from(input.value ?? []);
  return Buffer.concat([tagBytes(input.tag), encodeLength(value.length), value]);
}

function readTag(buf: Buffer, offset: number): { tag: number; next: number } {
  if (offset >= buf.length) throw new TlvFormatError(`truncated TLV: missing tag at offset ${offset}`);
  let tag = buf[offset];
  // ISO/IEC 7816-4 reserves 00 and FF as filler, never as tags: treat them as corruption.
  if (tag === 0x00 || tag === 0xff) throw new TlvFormatError(`invalid tag byte ${tag.toString(16).padStart(2, '0')} at offset ${offset}`);
  let pos = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    for (;;) {
      if (pos >= buf.length) throw new TlvFormatError(`truncated TLV: tag at offset ${offset} is incomplete`);
      if (pos - offset >= MAX_TAG_BYTES) throw new TlvFormatError(`tag at offset ${offset} longer than ${MAX_TAG_BYTES} bytes`);
      const b = buf[pos++];
      tag = tag * 256 + b;
      if ((b & 0x80) === 0) break;
    }
  }
  return { tag, next: pos };
}

function readLength(buf: Buffer, offset: number): { length: number; next: number } {
  if (offset >= buf.length) throw new TlvFormatError(`truncated TLV: missing length at offset ${offset}`);
  const first = buf[offset];
  if (first < 0x80) return { length: first, next: offset + 1 };
  const count = first & 0x7f;
  if (count === 0) throw new TlvFormatError(`indefinite length at offset ${offset} is not allowed`);
  if (count > MAX_LENGTH_BYTES) throw new TlvFormatError(`length at offset ${offset} uses ${count} bytes (max ${MAX_LENGTH_BYTES})`);
  if (offset + 1 + count > buf.length) throw new TlvFormatError(`truncated TLV: length at offset ${offset} is incomplete`);
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 1 + i];
  return { length, next: offset + 1 + count };
}

/** Decodes one data object at `offset`; `end` is where the next one starts. */
export function decodeFirstTlv(input: Uint8Array, offset = 0): { node: TlvNode; end: number } {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const { tag, next } = readTag(buf, offset);
  const { length, next: valueStart } = readLength(buf, next);
  const end = valueStart + length;
  if (end > buf.length) {
    throw new TlvFormatError(`truncated TLV: tag ${tagHex(tag)} declares ${length} bytes but only ${buf.length - valueStart} remain`);
  }
  const value = Buffer.from(buf.subarray(valueStart, end));
  const node: TlvNode = isConstructedTag(tag) ? { tag, value, children: decodeTlv(value) } : { tag, value };
  return { node, end };
}

/** Decodes a sequence of data objects that must fill `input` exactly. */
export function decodeTlv(input: Uint8Array): TlvNode[] {
  const nodes: TlvNode[] = [];
  let offset = 0;
  while (offset < input.length) {
    const { node, end } = decodeFirstTlv(input, offset);
    nodes.push(node);
    offset = end;
  }
  return nodes;
}

/** Depth-first search for the first object with `tag`. */
export function findTlv(nodes: TlvNode[], tag: number): TlvNode | undefined {
  for (const n of nodes) {
    if (n.tag === tag) return n;
    const inner = n.children ? findTlv(n.children, tag) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** Compact one-line dump, handy in test failure messages and logs. */
export function formatTlv(nodes: TlvNode[]): string {
  return nodes
    .map((n) => (n.children ? `${tagHex(n.tag)}[${formatTlv(n.children)}]` : `${tagHex(n.tag)}=${toHex(n.value)}`))
    .join(' ');
}
