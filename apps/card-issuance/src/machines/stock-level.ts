import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDefined, IsString, MaxLength, ValidateBy } from 'class-validator';

/** Longest stock text kept as reported. */
export const STOCK_TEXT_MAX = 32;

/**
 * What kiosks in the field send for a consumable (the document types it as a string and gives no
 * format): a count `120`, a decimal `85.5`, a percentage `85%` or `85.5 %`, with spaces around.
 */
const STOCK_TEXT = /^\s*(\d{1,9}(?:\.\d{1,6})?|\.\d{1,6})\s*%?\s*$/;

/**
 * The numeric level of a stock report, for the low-stock alarm: the number as written (a
 * percentage is its number of points, so `85%` is 85), or undefined when the text is not a
 * non-negative decimal number at all.
 */
export function stockLevel(text: string): number | undefined {
  const match = STOCK_TEXT.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** A JSON number is taken as its text (85.5 → "85.5", -1 → "-1", refused as below 0); anything else reaches the rules as sent. */
const NumberAsStockText = () => Transform(({ value }) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value));

/** A consumable as a kiosk reports it (see STOCK_TEXT), stored as sent; refused naming the field when it is not a number. */
export function StockText(): PropertyDecorator {
  return applyDecorators(
    NumberAsStockText(),
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MaxLength(STOCK_TEXT_MAX, { message: `$property must be at most ${STOCK_TEXT_MAX} characters` }),
    ValidateBy({
      name: 'stockLevel',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || stockLevel(value) !== undefined,
        defaultMessage: () => '$property must be a number from 0 to 999999999: a count, a decimal or a percentage (120, 85.5, 85%)',
      },
    }),
  );
}
