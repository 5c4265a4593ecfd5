import { getMetadataStorage, ValidationTypes, ValidatorConstraintInterface, ValidatorOptions } from 'class-validator';

/**
 * A fast "is this valid?" for the validation pipes, answered from a per-class plan of the same
 * class-validator metadata and the same constraint `validate` functions, called with the same
 * arguments. Why: class-validator re-derives the class's metadata (a scan of every class for
 * inheritance), builds an error object per property and filters metadata lists several times per
 * property on every call; that was ~15 % of a heartbeat's CPU, for requests that are nearly all
 * valid.
 *
 * Only "valid" is answered here; anything else returns `undefined` and the pipe runs
 * class-validator itself, so every error (message, field, order) still comes from it:
 * - a failed constraint, an unknown field under `forbidNonWhitelisted`, a class without rules;
 * - whatever the plan does not model: nested objects, `each` over arrays, promises, async
 *   constraints, validation groups or `skip…` options.
 * Unknown fields are deleted as class-validator's `whitelist` does (it would delete the same
 * ones again, harmlessly, if it runs after).
 *
 * Plans are built on first use of a class: decorators must not be added to a class after it has
 * been validated (they are applied when the class is defined).
 */

interface Check {
  property: string;
  constraints: unknown[];
  each: boolean;
  validator: ValidatorConstraintInterface;
}

interface PropertyPlan {
  name: string;
  /** `@IsOptional`, `@ValidateIf`: all must hold for the property to be validated at all. */
  conditions: Array<(object: object, value: unknown) => boolean>;
  checks: Check[];
  /** Nested or promise validation (or a rule type unknown here): not modelled when there is a value. */
  nested: boolean;
}

interface ClassPlan {
  /** class-validator's own grouping, looked up exactly as its `whitelist` step does. */
  grouped: Record<string, unknown[]>;
  properties: PropertyPlan[];
  /** No rules: class-validator refuses the value as unknown. */
  empty: boolean;
}

const plans = new WeakMap<Function, ClassPlan>();

function planFor(target: Function): ClassPlan {
  let plan = plans.get(target);
  if (plan) return plan;
  const storage = getMetadataStorage();
  // The same arguments class-validator's executor passes without groups or `always`.
  const metadatas = storage.getTargetValidationMetadatas(target, undefined as unknown as string, false, false, undefined);
  const grouped = storage.groupByPropertyName(metadatas);
  plan = { grouped, properties: [], empty: metadatas.length === 0 };
  for (const name of Object.keys(grouped)) {
    const property: PropertyPlan = { name, conditions: [], checks: [], nested: false };
    for (const metadata of grouped[name]) {
      if (metadata.type === ValidationTypes.WHITELIST) continue;
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        property.conditions.push(metadata.constraints[0]);
      } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION || metadata.type === ValidationTypes.IS_DEFINED) {
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          property.checks.push({ property: metadata.propertyName, constraints: metadata.constraints, each: metadata.each, validator: constraint.instance });
        }
      } else {
        property.nested = true;
      }
    }
    plan.properties.push(property);
  }
  plans.set(target, plan);
  return plan;
}

/** Whether `options` are ones the plan models (the platform's pipes' options are). */
export function fastPathApplies(options: ValidatorOptions): boolean {
  return (
    !options.groups?.length &&
    !options.always &&
    !options.strictGroups &&
    !options.skipMissingProperties &&
    !options.skipNullProperties &&
    !options.skipUndefinedProperties &&
    options.forbidUnknownValues !== false
  );
}

/**
 * True when class-validator would find no error in `object` under `options` (stripping unknown
 * fields as it would); `undefined` when it must be asked.
 */
export function validWithoutErrors(object: object, options: ValidatorOptions): true | undefined {
  const target = object.constructor;
  if (typeof target !== 'function') return undefined;
  const plan = planFor(target);
  if (plan.empty) return undefined;
  const record = object as Record<string, unknown>;
  if (options.whitelist) {
    // Deliberately class-validator's test, inherited Object members included ("hasOwnProperty" counts as known).
    const unknown = Object.keys(record).filter((key) => !plan.grouped[key] || plan.grouped[key].length === 0);
    if (unknown.length > 0) {
      if (options.forbidNonWhitelisted) return undefined;
      for (const key of unknown) delete record[key];
    }
  }
  const targetName = target.name;
  for (const property of plan.properties) {
    const value = record[property.name];
    if (property.conditions.length > 0 && !property.conditions.every((holds) => holds(object, value))) continue;
    if (property.nested && value !== undefined) return undefined;
    const arrayLike = Array.isArray(value) || value instanceof Set || value instanceof Map;
    for (const check of property.checks) {
      if (check.each && arrayLike) return undefined;
      const result: unknown = check.validator.validate(value, { targetName, property: check.property, object, value, constraints: check.constraints });
      // Failed, or asynchronous: class-validator decides (and words the error).
      if (!result || typeof (result as { then?: unknown }).then === 'function') return undefined;
    }
  }
  return true;
}
