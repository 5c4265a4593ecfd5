/**
 * Status word catalogue: ISO/IEC 7816-4 meanings plus the PBOC / FMCOS-specific
 * 93xx/94xx codes that Chinese transport and campus cards return.
 */

export type StatusCategory = 'success' | 'warning' | 'error';

export const SW = {
  SUCCESS: 0x9000,
  FILE_FULL: 0x6381,
  MEMORY_FAILURE: 0x6581,
  WRONG_LENGTH: 0x6700,
  SECURE_MESSAGING_NOT_SUPPORTED: 0x6882,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  REFERENCED_DATA_INVALIDATED: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED: 0x6986,
  SM_DATA_OBJECTS_MISSING: 0x6987,
  SM_DATA_OBJECTS_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  FILE_ALREADY_EXISTS: 0x6a89,
  DF_NAME_EXISTS: 0x6a8a,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN_ERROR: 0x6f00,
  MAC_INVALID: 0x9302,
  APPLICATION_LOCKED: 0x9303,
} as const;

const EXACT: Record<number, string> = {
  0x9000: 'Success',
  0x6200: 'Warning: state of non-volatile memory unchanged',
  0x6281: 'Warning: part of returned data may be corrupted',
  0x6282: 'Warning: end of file reached before reading Ne bytes',
  0x6283: 'Warning: selected file deactivated',
  0x6284: 'Warning: file control information not formatted correctly',
  0x6300: 'Warning: verification failed (no retry counter given)',
  0x6381: 'Warning: file filled up by the last write',
  0x6400: 'Execution error: state of non-volatile memory unchanged',
  0x6500: 'Execution error: state of non-volatile memory changed',
  0x6581: 'Memory failure (EEPROM write failed)',
  0x6700: 'Wrong length (Lc or Le incorrect)',
  0x6800: 'Functions in CLA not supported',
  0x6881: 'Logical channel not supported',
  0x6882: 'Secure messaging not supported',
  0x6900: 'Command not allowed',
  0x6981: 'Command incompatible with file structure',
  0x6982: 'Security status not satisfied',
  0x6983: 'Authentication method blocked (key or PIN locked)',
  0x6984: 'Referenced data invalidated (no valid challenge / random number)',
  0x6985: 'Conditions of use not satisfied (command out of sequence)',
  0x6986: 'Command not allowed (no current EF)',
  0x6987: 'Expected secure messaging data objects missing',
  0x6988: 'Secure messaging data objects incorrect (MAC incorrect)',
  0x6a80: 'Incorrect parameters in the data field',
  0x6a81: 'Function not supported',
  0x6a82: 'File or application not found',
  0x6a83: 'Record not found',
  0x6a84: 'Not enough memory space in the file',
  0x6a85: 'Nc inconsistent with TLV structure',
  0x6a86: 'Incorrect parameters P1-P2',
  0x6a87: 'Nc inconsistent with parameters P1-P2',
  0x6a88: 'Referenced data or key not found',
  0x6a89: 'File already exists',
  0x6a8a: 'DF name already exists',
  0x6b00: 'Wrong parameters P1-P2 (offset outside the EF)',
  0x6d00: 'Instruction code not supported or invalid',
  0x6e00: 'Class not supported',
  0x6f00: 'No precise diagnosis (unknown error)',
  0x9302: 'MAC invalid (PBOC)',
  0x9303: 'Application permanently locked (PBOC)',
  0x9401: 'Insufficient balance (PBOC)',
  0x9402: 'Transaction counter reached its maximum (PBOC)',
  0x9403: 'Key index not supported (PBOC)',
  0x9406: 'Required MAC not available (PBOC)',
};

function hex4(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

function normalise(sw: number | string): number {
  const n = typeof sw === 'string' ? parseInt(sw, 16) : sw;
  if (typeof sw === 'string' && !/^[0-9a-fA-F]{4}$/.test(sw)) throw new RangeError(`status word must be 4 hex digits, got "${sw}"`);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`status word out of range: ${sw}`);
  return n;
}

/** Human-readable meaning of a status word, including the parameterised 61xx/6Cxx/63Cx families. */
export function describeStatusWord(sw: number | string): string {
  const n = normalise(sw);
  const exact = EXACT[n];
  if (exact) return exact;
  const sw1 = n >> 8;
  const sw2 = n & 0xff;
  if (sw1 === 0x61) return `Success: ${sw2 === 0 ? 256 : sw2} more response bytes available (send GET RESPONSE)`;
  if (sw1 === 0x6c) return `Wrong Le: resend with Le=${sw2 === 0 ? 256 : sw2} (exact length available)`;
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return `Verification failed: ${sw2 & 0x0f} retries remaining`;
  if (sw1 === 0x62) return `Warning: state of non-volatile memory unchanged (${hex4(n)})`;
  if (sw1 === 0x63) return `Warning: state of non-volatile memory changed (${hex4(n)})`;
  if (sw1 === 0x64) return `Execution error: state of non-volatile memory unchanged (${hex4(n)})`;
  if (sw1 === 0x65) return `Execution error: state of non-volatile memory changed (${hex4(n)})`;
  if (sw1 === 0x66) return `Security-related issue (${hex4(n)})`;
  if (sw1 === 0x67) return `Wrong length (${hex4(n)})`;
  return `Unknown status word ${hex4(n)}`;
}

/** success = 9000/61xx, warning = 62xx/63xx, everything else an error. */
export function statusCategory(sw: number | string): StatusCategory {
  const n = normalise(sw);
  const sw1 = n >> 8;
  if (n === 0x9000 || sw1 === 0x61) return 'success';
  if (sw1 === 0x62 || sw1 === 0x63) return 'warning';
  return 'error';
}

/** "6988 (Secure messaging data objects incorrect (MAC incorrect))" — for log and failure messages. */
export function formatStatusWord(sw: number | string): string {
  const n = normalise(sw);
  return `${hex4(n)} (${describeStatusWord(n)})`;
}
