import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { acceptableCardNo } from './resident-id';

/**
 * Field rules of the document's calls, with messages naming the field. Lengths are the
 * document's 最大长度, counted in characters (a Chinese name of 20 characters fits in 20).
 */

/** Device serial numbers travel in a header (X-Device-Key) and in callbacks: no blanks or commas. */
export const DEVICE_KEY = /^[A-Za-z0-9_.:-]{1,50}$/;
/** Person guids this service issues: 20 hex digits (the callbacks' personGuid holds at most 20). */
export const PERSON_GUID = /^[0-9A-F]{20}$/;

/** An optional field sent empty (a form body sends every field) counts as absent. */
const EmptyIsAbsent = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

export function RequiredText(maxLength: number): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MinLength(1, { message: '$property must not be empty' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
  );
}

export function OptionalText(maxLength: number): PropertyDecorator {
  return applyDecorators(
    EmptyIsAbsent(),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
  );
}

export function DeviceKey(): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MaxLength(50, { message: '$property must be at most 50 characters' }),
    Matches(DEVICE_KEY, { message: '$property must be 1–50 letters, digits or _ . : -' }),
  );
}

export function PersonGuid(): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    Matches(PERSON_GUID, { message: '$property must be a person guid (20 hex digits) as /person/create answered' }),
  );
}

/** 卡号/身份证号: letters and digits, at most 18; an ID-shaped number must be a valid one. */
export function CardNo(): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MaxLength(18, { message: '$property must be at most 18 characters' }),
    Matches(/^[A-Za-z0-9]{1,18}$/, { message: '$property must be 1–18 letters or digits' }),
    // The message never repeats the number: ID numbers stay out of answers and logs.
    ValidateBy({
      name: 'residentIdNumber',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || acceptableCardNo(value),
        defaultMessage: () => '$property looks like a resident ID number but its check digit or birth date is wrong',
      },
    }),
  );
}

/** 手机号: 11 digits. */
export function Phone(): PropertyDecorator {
  return applyDecorators(
    EmptyIsAbsent(),
    IsOptional(),
    IsString({ message: '$property must be a string' }),
    Matches(/^\d{11}$/, { message: '$property must be 11 digits' }),
  );
}

/** Comma-separated person guids (batch calls): at most `max`, each as /person/create answered. */
export function GuidList(max = 1000): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string of comma-separated person guids' }),
    ValidateBy({
      name: 'guidList',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || guidListProblem(value, max) === undefined,
        defaultMessage: (args) => `$property ${guidListProblem(String(args?.value), max)}`,
      },
    }),
  );
}

/** The guids of a list, blanks around commas dropped, each once, in the order given. */
export function parseGuids(text: string): string[] {
  return [...new Set(text.split(',').map((g) => g.trim()))];
}

function guidListProblem(text: string, max: number): string | undefined {
  const items = text.split(',').map((g) => g.trim());
  if (items.length > max) return `must hold at most ${max} guids`;
  // By position, never by value: a caller may have put anything there.
  const bad = items.findIndex((g) => !PERSON_GUID.test(g));
  if (bad < 0) return undefined;
  return `must be person guids (20 hex digits) separated by commas; item ${bad + 1} ${items[bad] === '' ? 'is empty' : 'is not one'}`;
}

/** An http(s) URL of at most `maxLength` characters. */
export function HttpUrl(maxLength: number): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
    Matches(/^https?:\/\/[^\s/?#]+[^\s]*$/i, { message: '$property must be an http or https URL' }),
  );
}
