import { ArgumentMetadata } from '@nestjs/common';
import { IsBoolean, IsInt, IsNumber, IsOptional } from 'class-validator';
import { InvalidInputError } from '../errors/app-error';
import { FormBoolean, FormInt, FormNumber } from './form-values';
import { deviceValidationPipe } from './validation';

class Order {
  @FormInt() @IsInt() count!: number;
  @IsOptional() @FormNumber() @IsNumber() amount?: number;
  @IsOptional() @FormBoolean() @IsBoolean() urgent?: boolean;
}
const meta: ArgumentMetadata = { type: 'body', metatype: Order };

/** What @fastify/formbody hands the pipe: an object without prototype, every value a string. */
function form(fields: Record<string, string>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, fields);
}

async function refusal(value: unknown): Promise<InvalidInputError> {
  try {
    await deviceValidationPipe.transform(value, meta);
  } catch (error) {
    return error as InvalidInputError;
  }
  throw new Error('expected a validation failure');
}

describe('form values', () => {
  it('takes the JSON value and its exact string form alike', async () => {
    for (const body of [{ count: 3, amount: 12.5, urgent: true }, form({ count: '3', amount: '12.5', urgent: 'true' })]) {
      const order = (await deviceValidationPipe.transform(body, meta)) as Order;
      expect(order).toBeInstanceOf(Order);
      expect({ ...order }).toEqual({ count: 3, amount: 12.5, urgent: true });
    }
    expect({ ...((await deviceValidationPipe.transform(form({ count: '-0', urgent: 'false', amount: '-1e3' }), meta)) as Order) }).toEqual({
      count: -0,
      urgent: false,
      amount: -1000,
    });
  });

  it.each([
    ['count', form({ count: '1.5' }), 'count must be an integer number'],
    ['count', form({ count: ' 3' }), 'count must be an integer number'],
    ['count', form({ count: '0x10' }), 'count must be an integer number'],
    ['count', form({ count: '' }), 'count must be an integer number'],
    ['count', form({ count: '9007199254740993' }), 'count must be an integer number'],
    ['amount', form({ count: '1', amount: 'Infinity' }), expect.stringMatching(/^amount must be a number/)],
    ['amount', form({ count: '1', amount: '1.' }), expect.stringMatching(/^amount must be a number/)],
    ['urgent', form({ count: '1', urgent: 'TRUE' }), 'urgent must be a boolean value'],
    ['urgent', form({ count: '1', urgent: '1' }), 'urgent must be a boolean value'],
    ['urgent', { count: 1, urgent: 'yes' }, 'urgent must be a boolean value'],
  ])('leaves anything else for the rule to refuse, naming %s', async (field, body, message) => {
    const error = await refusal(body);
    expect(error.field).toBe(field);
    expect(error.message).toEqual(message);
  });
});
