import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FormBoolean, FormInt } from '@onecard/kernel';

/** Campus user codes (学工号): letters, digits and `_ . -`. */
export const USER_CODE = /^[A-Za-z0-9_.-]{1,64}$/;
/** Card account numbers (校园卡账号). */
export const CARD_NO = /^[A-Za-z0-9]{1,32}$/;

// RequiredString is @onecard/kernel's: re-exported so the DTOs keep one import.
export { RequiredString } from '@onecard/kernel';

/** A required string matching `pattern`, with a message saying what it must look like. */
export function RequiredPattern(pattern: RegExp, what: string, maxLength = 64): PropertyDecorator {
  return applyDecorators(
    NumberAsText(),
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
    Matches(pattern, { message: `$property must be ${what}` }),
  );
}

/** An optional string matching `pattern`. */
export function OptionalPattern(pattern: RegExp, what: string, maxLength = 64): PropertyDecorator {
  return applyDecorators(IsOptional(), RequiredPattern(pattern, what, maxLength));
}

/** Integers given as JSON numbers are read as their decimal text (account numbers, codes). */
export const NumberAsText = () => Transform(({ value }) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value));

export const RequiredCardNo = () => RequiredPattern(CARD_NO, '1-32 letters or digits', 32);
export const OptionalCardNo = () => OptionalPattern(CARD_NO, '1-32 letters or digits', 32);
export const RequiredUserCode = () => RequiredPattern(USER_CODE, '1-64 of A-Z a-z 0-9 _ . -');

/** A boolean: JSON true/false or the form strings "true"/"false". */
export function FormBool(required: boolean): PropertyDecorator {
  return applyDecorators(
    FormBoolean(),
    required ? IsDefined({ message: '$property is required' }) : IsOptional(),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

/** An optional integer within [min, max], from JSON or its decimal text. */
export function OptionalInt(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    FormInt(),
    IsOptional(),
    IsInt({ message: '$property must be an integer' }),
    Min(min, { message: `$property must be at least ${min}` }),
    Max(max, { message: `$property must be at most ${max}` }),
  );
}
