import { Transform } from 'class-transformer';

/*
 * Stand-ins for the kernel's value decorators (`@FormInt`, `@FormNumber`, `@FormBoolean`, being
 * added by the platform-http branch, PLATFORM-API.md): same contract — the JSON value or its exact
 * string form (query parameters, form fields), anything else left as it is so the validator names
 * the field. Replaced by the kernel's once that lands.
 */

export const FormInt = (): PropertyDecorator =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value));

export const FormNumber = (): PropertyDecorator =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,16}(\.\d{1,16})?$/.test(value) ? Number(value) : value));

export const FormBoolean = (): PropertyDecorator =>
  Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
