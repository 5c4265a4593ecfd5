import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

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

/**
 * An integer query or form parameter, checked in a fixed order with messages naming it: first an
 * integer at all (`limit=abc` is "limit must be an integer", not "over 500"), then its range.
 * Decorators on one line are applied right to left, which put the range first; this applies them
 * in the order written.
 */
export function IntParam(name: string, { min, max }: { min?: number; max?: number } = {}): PropertyDecorator {
  const rules = [FormInt(), IsInt({ message: `${name} must be an integer` })];
  if (min !== undefined) rules.push(Min(min, { message: `${name} must be ${min} or more` }));
  if (max !== undefined) rules.push(Max(max, { message: `${name} must be at most ${max}` }));
  return (target, key) => {
    for (const rule of rules) rule(target, key);
  };
}
