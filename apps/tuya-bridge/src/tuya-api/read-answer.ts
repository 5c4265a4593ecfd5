import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { firstInvalidField } from '@onecard/kernel';
import { TuyaMalformedAnswer } from './tuya-api.errors';

/** `person_id` → `personId`; a key already in camelCase stays as it is. */
export function snakeToCamel(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * A copy of a JSON value with every object key in camelCase: Tuya's gateway answers in
 * snake_case (the document's examples) while the document's tables name camelCase fields, and
 * either may come. Where both forms of one key are present, the camelCase one wins.
 */
export function camelCaseKeys(value: unknown, depth = 0): unknown {
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => camelCaseKeys(item, depth + 1));
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, item] of entries) if (key.includes('_')) out[snakeToCamel(key)] = camelCaseKeys(item, depth + 1);
  for (const [key, item] of entries) if (!key.includes('_')) out[key] = camelCaseKeys(item, depth + 1);
  return out;
}

/**
 * Tuya's `result` as a typed, validated object of `type`. A result that does not fit (a card
 * without its number, a status other than 1 or 2) throws TuyaMalformedAnswer naming the field,
 * so a sync stops rather than storing half-understood data.
 */
export function readAnswer<T extends object>(type: new () => T, result: unknown, call: string): T {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw new TuyaMalformedAnswer(`${call}: result is not an object`);
  }
  const instance = plainToInstance(type, camelCaseKeys(result), { excludeExtraneousValues: false });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true, stopAtFirstError: true, validationError: { target: false, value: false } });
  if (errors.length > 0) throw new TuyaMalformedAnswer(`${call}: ${firstInvalidField(errors).message}`);
  return instance;
}
