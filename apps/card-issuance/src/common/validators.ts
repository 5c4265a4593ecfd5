import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsString, Matches, MaxLength, MinLength, ValidateBy, ValidationOptions } from 'class-validator';
import { HEX_UID, normaliseUid } from '@onecard/contracts';

/** Project ids: the same alphabet CARD_MASTER_KEYS accepts. */
export const PROJECT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** Kiosk numbers: they travel in a header and a path segment. */
export const MACHINE_NO = /^[A-Za-z0-9_.-]{1,64}$/;
/** Phone numbers as a kiosk keypad types them: digits, an optional leading +. */
export const PHONE_NUMBER = /^\+?\d{5,20}$/;

// RequiredString is @onecard/kernel's: re-exported so the DTOs keep one import.
export { RequiredString } from '@onecard/kernel';

/** A required string matching `pattern`, with a message saying what it must look like. */
export function RequiredPattern(pattern: RegExp, what: string, maxLength = 64): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
    Matches(pattern, { message: `$property must be ${what}` }),
  );
}

/** Numbers given as JSON numbers are read as their decimal text (the document sends strings). */
export const NumberAsText = () => Transform(({ value }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value));

/**
 * A fixed-width code sent as a JSON number lost its leading zeros on the way: 12345 is "012345".
 * Only whole numbers that fit the width are restored; anything else is left for the validator.
 */
export const DigitsAsText = (width: number) =>
  Transform(({ value }) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < 10 ** width ? String(value).padStart(width, '0') : value));

export function MaxUtf8Bytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxUtf8Bytes',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || Buffer.byteLength(value, 'utf8') <= max,
        defaultMessage: () => `$property must be at most ${max} bytes in UTF-8 (a Chinese character is 3)`,
      },
    },
    options,
  );
}

/**
 * An R-APDU in hex, with a message telling a non-hex value from an odd-length one. It must hold
 * at least SW1 SW2, except when `mayBeEmpty(body)` says the kiosk reports its own failure (then
 * the card may never have answered).
 */
export function HexBytes(maxHexDigits: number, mayBeEmpty: (body: object) => boolean = () => false): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    ValidateBy({
      name: 'holdsStatusWord',
      validator: {
        validate: (value: unknown, args) => typeof value !== 'string' || value.length >= 4 || mayBeEmpty(args?.object ?? {}),
        defaultMessage: () => '$property must hold at least a status word (4 hex digits)',
      },
    }),
    MaxLength(maxHexDigits, { message: `$property must be at most ${maxHexDigits} hex digits` }),
    Matches(/^[0-9A-Fa-f]*$/, { message: '$property must be hexadecimal (0-9, A-F)' }),
    Matches(/^(?:[0-9A-Fa-f]{2})*$/, { message: '$property must have an even number of hex digits' }),
  );
}

/** Card inner code: hex, 4–10 bytes, normalised to uppercase without spaces. */
export function CardUid(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? normaliseUid(value) : value)),
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    Matches(HEX_UID, { message: '$property must be the card inner code: 4 to 10 bytes of hex' }),
  );
}
