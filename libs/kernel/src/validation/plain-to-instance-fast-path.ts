import type { Type } from '@nestjs/common';
import { ClassTransformOptions, classToPlain, plainToInstance, TransformationType, TransformFnParams } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer's own metadata and defaults (not re-exported by its index; the package has no
// "exports" map, so these are the modules its plainToInstance reads).
const { defaultMetadataStorage: storage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };
const { defaultOptions } = require('class-transformer/cjs/constants/default-options.constant') as { defaultOptions: ClassTransformOptions };

/**
 * `plainToInstance` for the common request body, done as class-transformer does it and without
 * its per-key metadata searches (ancestor walks, list copies, property-descriptor objects):
 * ~45 % of the validation pipe's CPU. Why a fast path at all: see valid-fast-path.ts.
 *
 * Taken only for default options, a class without @Expose/@Exclude (on it or its ancestors) and a
 * plain JSON object whose values are all primitives or null with no @Type on their keys; then
 * class-transformer would: construct the class, skip `__proto__`, `constructor` and keys the
 * prototype has as a getter without setter or as a method, run each key's @Transform functions
 * (those without groups) in its order on the value, and assign the result (even undefined).
 * Anything else returns `undefined` and class-transformer runs, before any @Transform was called.
 * Plans are built on first use of a class, as in valid-fast-path.ts; the equivalence is checked
 * against both libraries by validation-fast-paths.spec.ts.
 */

type TransformFn = (params: TransformFnParams) => unknown;

interface KeyPlan {
  /** `__proto__`, `constructor`, or a prototype getter without setter: never assigned. */
  skip: boolean;
  /** @Type on the key: not modelled. */
  typed: boolean;
  transforms: TransformFn[];
}

interface ClassPlan {
  usable: boolean;
  keys: Map<string, KeyPlan>;
}

/** Per class, at most this many body keys are remembered (bodies may carry arbitrary keys). */
const MAX_KEYS = 128;
const plans = new WeakMap<Function, ClassPlan>();

function classPlan(target: Function): ClassPlan {
  let plan = plans.get(target);
  if (!plan) {
    const usable = storage.getStrategy(target) === 'none' && storage.getExposedMetadatas(target).length === 0 && storage.getExcludedMetadatas(target).length === 0;
    plan = { usable, keys: new Map() };
    plans.set(target, plan);
  }
  return plan;
}

function keyPlan(target: Function, plan: ClassPlan, key: string): KeyPlan {
  let known = plan.keys.get(key);
  if (known) return known;
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
  known = {
    skip: key === '__proto__' || key === 'constructor' || (!!descriptor && !descriptor.set),
    typed: !!storage.findTypeMetadata(target, key),
    transforms: storage
      .findTransformMetadatas(target, key, TransformationType.PLAIN_TO_CLASS)
      .filter((metadata) => !metadata.options || !metadata.options.groups || !metadata.options.groups.length)
      .map((metadata) => metadata.transformFn as TransformFn),
  };
  if (plan.keys.size < MAX_KEYS) plan.keys.set(key, known);
  return known;
}

/** A JSON object (of any realm: tests run in a vm context), not an array, Set, Map, Date, Buffer or promise. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== null && Object.getPrototypeOf(proto) === null && typeof (value as { then?: unknown }).then !== 'function';
}

function plainToInstanceFast<T>(target: Type<T>, plain: unknown, options?: ClassTransformOptions): T | undefined {
  if (options !== undefined || typeof target !== 'function' || !isPlainObject(plain)) return undefined;
  const plan = classPlan(target);
  if (!plan.usable) return undefined;
  const source = plain;
  const keys = Object.keys(source);
  for (const key of keys) {
    const value = source[key];
    if ((value !== null && typeof value === 'object') || typeof value === 'function') return undefined;
    if (keyPlan(target, plan, key).typed) return undefined;
  }
  // One options object per call, as class-transformer's executor has.
  const transformOptions = { ...defaultOptions };
  const instance = new target() as Record<string, unknown>;
  for (const key of keys) {
    const { skip, transforms } = keyPlan(target, plan, key);
    if (skip || instance[key] instanceof Function) continue;
    let value = source[key];
    for (const transform of transforms) value = transform({ value, key, obj: source, type: TransformationType.PLAIN_TO_CLASS, options: transformOptions });
    instance[key] = value;
  }
  return instance as T;
}

/** class-transformer as Nest's ValidationPipe uses it (`transformerPackage`), with the fast path first. */
export const fastTransformerPackage = {
  plainToInstance<T>(target: Type<T>, plain: unknown, options?: ClassTransformOptions): T | T[] {
    return plainToInstanceFast(target, plain, options) ?? plainToInstance(target, plain, options);
  },
  classToPlain,
};
