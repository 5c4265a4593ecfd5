import 'reflect-metadata';
import { Allow, IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, registerDecorator, validate, ValidateIf, ValidateNested, ValidatorOptions } from 'class-validator';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { fastTransformerPackage } from './plain-to-instance-fast-path';
import { validWithoutErrors } from './valid-fast-path';
import { ValidationPipe } from '@nestjs/common';
import { adminValidationPipe, deviceValidationPipe } from './validation';

/**
 * The fast paths must agree with class-transformer and class-validator on every input: a seeded
 * corpus of bodies (valid, invalid, odd keys, nested values) over DTO shapes the apps use and
 * shapes the fast paths hand back to the libraries.
 */

const IsEven = () => (target: object, propertyName: string) =>
  registerDecorator({ name: 'isEven', target: target.constructor, propertyName, validator: { validate: (v: unknown) => typeof v === 'number' && v % 2 === 0 } });
const IsEvenLater = () => (target: object, propertyName: string) =>
  registerDecorator({ name: 'isEvenLater', target: target.constructor, propertyName, validator: { validate: async (v: unknown) => typeof v === 'number' && v % 2 === 0 } });
const DefinedIfString = () => (target: object, propertyName: string) =>
  registerDecorator({ name: 'definedIfString', target: target.constructor, propertyName, validator: { validate: (v: unknown) => (typeof v === 'string' ? true : undefined) as boolean } });
const ToInt = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value));
const ToOptionalString = () => Transform(({ value }) => (typeof value === 'number' ? String(value) : value === '' || value === null ? undefined : value));

class Base {
  @IsOptional() @ToOptionalString() @MaxLength(8) @IsString() req_id?: string;
  @ToInt() @IsIn([0, 1], { message: '$property must be 0 or 1' }) mode!: number;
}
class Heartbeat extends Base {
  @IsString() @MaxLength(6) device_id!: string;
  @ToInt() @Min(0) @Max(99) @IsInt() count!: number;
  @IsOptional() @IsEven() even?: number;
  @ValidateIf((o: Heartbeat) => o.mode === 1) @IsDefined() @IsString() when_on?: string;
  @Allow() anything?: unknown;
  @IsOptional() @ValidateIf((o: Heartbeat) => o.mode === 1) @DefinedIfString() both?: string;
  @Transform(({ value }) => `grouped:${value}`, { groups: ['x'] }) @IsOptional() @IsString() grouped?: string;
  get computed(): string {
    return 'c';
  }
  describe(): string {
    return 'd';
  }
}
class Inner {
  @IsString() name!: string;
}
class WithNested {
  @IsString() id!: string;
  @IsOptional() @ValidateNested() @Type(() => Inner) inner?: Inner;
  @IsOptional() @IsString({ each: true }) tags?: string[];
  @IsOptional() @IsEvenLater() later?: number;
}
@Exclude()
class Exposed {
  @Expose({ name: 'display_name' }) @IsString() name!: string;
}
class NoRules {
  something?: string;
}

const VALUES: unknown[] = ['', 'a', 'abcdef', 'abcdefghij', '1', '0', '42', '-3', '7.5', 0, 1, 2, 3, 100, -1, null, true, false, { name: 'n' }, { name: 5 }, ['t'], [1]];
const KEYS = ['both', 'req_id', 'mode', 'device_id', 'count', 'even', 'when_on', 'anything', 'grouped', 'computed', 'describe', 'id', 'inner', 'tags', 'later', 'name', 'display_name', 'something', 'extra', 'toString', 'hasOwnProperty', 'valueOf'];

function corpus(seed: number, size: number): Array<Record<string, unknown>> {
  let state = seed >>> 0;
  // mulberry32
  const next = (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < size; i++) {
    const body: Record<string, unknown> = {};
    for (let k = next(8); k > 0; k--) body[KEYS[next(KEYS.length)]] = VALUES[next(VALUES.length)];
    // Mostly-valid heartbeats too, so the fast paths are exercised, not only their refusals.
    if (i % 3 === 0) Object.assign(body, { device_id: 'D1', mode: String(next(2)), count: String(next(120)), when_on: 'on' });
    if (i % 3 === 1) Object.assign(body, { device_id: 'D1', mode: next(2), count: next(120), when_on: 'on' });
    out.push(JSON.parse(JSON.stringify(body)));
  }
  return out;
}

const CLASSES: Array<new () => object> = [Heartbeat, Base, WithNested, Exposed, NoRules];
const OPTIONS: ValidatorOptions[] = [
  { whitelist: true, forbidNonWhitelisted: false, forbidUnknownValues: true, stopAtFirstError: true, validationError: { target: false, value: false } },
  { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true, validationError: { target: false, value: false } },
];

/** As the body parser hands it over (JSON.parse, in this realm). */
const clone = <T>(body: T): T => JSON.parse(JSON.stringify(body));
/** Every key as an own data property, even where the class has a getter. */
const withOwnKeys = (target: object, body: Record<string, unknown>) => {
  for (const [key, value] of Object.entries(body)) Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return target;
};
const snapshot = (o: unknown) => ({ proto: Object.getPrototypeOf(o), keys: Object.keys(o as object), json: JSON.stringify(o) });

describe('validation fast paths', () => {
  it('build the same instance as class-transformer', () => {
    let fast = 0;
    for (const target of CLASSES) {
      for (const body of corpus(target.name.length, 1500)) {
        const expected = plainToInstance(target, clone(body));
        const actual = fastTransformerPackage.plainToInstance(target, clone(body));
        expect(snapshot(actual)).toEqual(snapshot(expected));
        if (!Object.values(body).some((v) => v !== null && typeof v === 'object')) fast++;
      }
    }
    expect(fast).toBeGreaterThan(1000);
  });

  it('call an input valid only when class-validator finds no error, and strip the same fields', async () => {
    let answered = 0;
    for (const options of OPTIONS) {
      for (const target of CLASSES) {
        for (const body of corpus(target.name.length + 7, 1500)) {
          // As the pipe hands it over (class-transformer's instance), and with every key as it came.
          const instances: Array<() => object> = [() => plainToInstance(target, clone(body)) as object, () => withOwnKeys(new target(), clone(body))];
          for (const instance of instances) {
            const checked = instance();
            const reference = instance();
            const errors = await validate(reference, options);
            if (validWithoutErrors(checked, options) === true) {
              answered++;
              expect(errors).toEqual([]);
              expect(snapshot(checked)).toEqual(snapshot(reference));
            } else if (errors.length === 0) {
              // Declined (nested, each, async): fine, class-validator answers. Never for a plain valid heartbeat.
              expect(target === Heartbeat || target === Base).toBe(false);
            }
          }
        }
      }
    }
    expect(answered).toBeGreaterThan(200);
  });

  it("answer through the pipes exactly as Nest's own transform does", async () => {
    const outcome = async (run: () => Promise<unknown>) => {
      try {
        return { value: snapshot(await run()) };
      } catch (error) {
        return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
      }
    };
    let valid = 0;
    for (const pipe of [deviceValidationPipe, adminValidationPipe]) {
      for (const target of CLASSES) {
        const meta = { type: 'body' as const, metatype: target };
        for (const body of [...corpus(target.name.length + 13, 600), { ...clone({ device_id: 'D1', mode: 1, count: 3 }), ['__proto__']: 1 }, Object.create({ inherited: 1 })]) {
          const fast = await outcome(() => pipe.transform(clone(body), meta));
          const nest = await outcome(() => ValidationPipe.prototype.transform.call(pipe, clone(body), meta));
          expect(fast).toEqual(nest);
          if ('value' in fast) valid++;
        }
      }
    }
    expect(valid).toBeGreaterThan(300);
  });

  it('leave nested values, arrays, @Type, @Expose and options to class-transformer', () => {
    expect(fastTransformerPackage.plainToInstance(WithNested, { id: 'x', inner: { name: 'n' } })).toMatchObject({ inner: expect.any(Inner) });
    expect(fastTransformerPackage.plainToInstance(Exposed, { display_name: 'n' })).toEqual(plainToInstance(Exposed, { display_name: 'n' }));
    expect(fastTransformerPackage.plainToInstance(Heartbeat, { grouped: 'g' }, { groups: ['x'] })).toMatchObject({ grouped: 'grouped:g' });
  });
});
