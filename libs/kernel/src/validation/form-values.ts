import { Transform } from 'class-transformer';

/**
 * A field that arrives as a JSON value or as a form string (`application/x-www-form-urlencoded`
 * bodies and query strings carry only strings). Each decorator accepts the JSON value or its
 * exact string form; anything else is left as it is, so the field's own rule (`@IsInt()`,
 * `@IsNumber()`, `@IsBoolean()`) refuses it and names the field. They convert only: pair them
 * with the rule, e.g. `@FormInt() @IsInt() @Min(1) count!: number`.
 */

const INTEGER = /^-?(0|[1-9]\d*)$/;
// JSON's number syntax: no leading zeros, no "+", no hex, no "Infinity", no surrounding blanks.
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** `"12"` → 12; a JSON integer stays; `"1.5"`, `"0x1"`, `" 1"` or an integer past 2^53 stay strings. */
export function formInt(value: unknown): unknown {
  if (typeof value !== 'string' || !INTEGER.test(value)) return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

/** `"12.5"` → 12.5 (JSON number syntax only). */
export function formNumber(value: unknown): unknown {
  if (typeof value !== 'string' || !NUMBER.test(value)) return value;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

/** `"true"` → true, `"false"` → false; `"1"`, `"yes"`, `"TRUE"` stay strings. */
export function formBoolean(value: unknown): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

export const FormInt = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => formInt(value));
export const FormNumber = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => formNumber(value));
export const FormBoolean = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => formBoolean(value));
