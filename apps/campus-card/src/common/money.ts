import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Money: integer fen inside (Postgres bigint, JS numbers well within 2^53), yuan on the wire.
 * A yuan amount from a caller must be a finite number with at most two decimals.
 */

/** Largest amount one call may move (a purchase, a deposit, a transfer), yuan. */
export const MAX_AMOUNT_YUAN = 100_000;

export function fenToYuan(fen: number | string | bigint): number {
  // An integer over 100 gives the double nearest the decimal: 1034 / 100 prints as 10.34.
  return Number(fen) / 100;
}

/** Whole fen of a yuan amount already validated by `YuanAmount`. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** `10.00`: two decimals, as bills and signatures write amounts. */
export function formatYuan(fen: number | string | bigint): string {
  const n = BigInt(fen);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function hasAtMostTwoDecimals(value: number): boolean {
  const fen = value * 100;
  return Math.abs(fen - Math.round(fen)) < 1e-6;
}

export interface YuanRule {
  /** Smallest amount, yuan (0 allows zero). */
  min: number;
  /** Largest amount, yuan. */
  max: number;
  /** Whole yuan only (the document's `integer` amounts). */
  whole?: boolean;
}

/** A yuan amount: a number within [min, max] with at most two decimals (whole yuan if asked). */
export function YuanAmount(rule: YuanRule, options?: ValidationOptions): PropertyDecorator {
  const what = rule.whole ? 'a whole number of yuan' : 'an amount in yuan with at most two decimals';
  return ValidateBy(
    {
      name: 'yuanAmount',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isFinite(value) &&
          value >= rule.min &&
          value <= rule.max &&
          (rule.whole ? Number.isInteger(value) : hasAtMostTwoDecimals(value)),
        defaultMessage: () => `$property must be ${what}, from ${rule.min} to ${rule.max}`,
      },
    },
    options,
  );
}
