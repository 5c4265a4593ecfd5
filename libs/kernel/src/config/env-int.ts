import { Transform } from 'class-transformer';
import { registerDecorator } from 'class-validator';

/** class-transformer step turning an integer string from the environment into a number. */
export const toInt = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export interface EnvIntRange {
  min?: number;
  max?: number;
}

function rangeText({ min, max }: EnvIntRange): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

/**
 * An integer variable of a config class, within `[min, max]`: read from its decimal string, and
 * otherwise refused with one message naming it and the range
 * (`DB_POOL_SIZE must be an integer from 1 to 200`). Pair with `@IsOptional()` for a variable
 * without a default.
 */
export function EnvInt(range: EnvIntRange = {}): PropertyDecorator {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  return (target: object, propertyName: string | symbol) => {
    Transform(toInt)(target, propertyName);
    registerDecorator({
      name: 'envInt',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [range.min, range.max],
      options: { message: `${String(propertyName)} must be an integer${rangeText(range)}` },
      validator: { validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max },
    });
  };
}
