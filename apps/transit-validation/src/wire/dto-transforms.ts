import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { parseDeviceTime } from './wire-clock';

/**
 * Validator firmware sends numbers as strings and strings as numbers (the document's own
 * examples do: `"check_mode": "1"`). These keep the DTO rules strict about the value while
 * lenient about its JSON type.
 */

/** "1" → 1; anything else passes through for the validators to judge. */
export const ToInt = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value) ? Number(value) : value));

/** 1 → "1"; "" → undefined (an empty optional field is an absent one). */
export const ToOptionalString = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value === '' || value === null ? undefined : value));

/** 1 → "1" (a required field stays required; "" stays "" for the rules to judge). */
export const ToString = () => Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value));

/** "113.94" → 113.94; "" → undefined; anything else passes through for the validators to judge. */
export const ToOptionalFloat = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === '' || value === null) return undefined;
    return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  });

/** A device time: `yyyy-MM-dd HH:mm:ss`, `yyyyMMddHHmmss`, `yyMMddHHmmss` or unix seconds/ms. */
export function IsWireTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isWireTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a time (yyyy-MM-dd HH:mm:ss, yyyyMMddHHmmss, yyMMddHHmmss or unix seconds)', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseDeviceTime(value, 'Asia/Shanghai') !== undefined },
    });
}
