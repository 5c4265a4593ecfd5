import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { BaseConfig } from './base-config';

/** A configuration value is missing or malformed; `message` names the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function firstConstraint(error: ValidationError): string {
  const messages = Object.values(error.constraints ?? {});
  return messages[0] ?? `${error.property} is invalid`;
}

/** Every variable the class declares a rule for, inherited ones included. */
function declaredVariables(configClass: new () => object): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(configClass, '', true, false);
  return new Set(metadata.map((m) => m.propertyName));
}

/**
 * Builds the app's config from the environment (plus overrides, for tests) and validates it.
 * Only declared variables are read; the rest of the environment is ignored.
 */
export function loadConfig<T extends BaseConfig>(
  configClass: new () => T,
  env: Record<string, string | undefined>,
  defaults: Partial<Record<keyof BaseConfig, unknown>> = {},
): T {
  const raw: Record<string, unknown> = { ...(new configClass() as object) };
  for (const [key, value] of Object.entries(defaults)) if (value !== undefined) raw[key] = value;
  for (const key of declaredVariables(configClass)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(configClass, raw);
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = raw[first.property] === undefined ? `${first.property} is required` : firstConstraint(first);
    throw new ConfigError(first.property, `Invalid configuration: ${reason}`);
  }
  return config;
}
