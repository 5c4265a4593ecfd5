import { Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { BaseConfig } from './base-config';

/** A sealing key setting: one AES-256 key in 64 hex digits, or a comma-separated list of them, newest first. */
export const HEX_KEY_LIST = /^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$/;

/**
 * The one rule for keys every app needs (sealing secrets, signing tokens): configured in
 * production (the config class makes them required there); elsewhere, when unset, derived from
 * ADMIN_TOKEN, so a developer's restarts and replicas agree, with a warning naming the variable.
 * Returns 32 bytes as 64 hex digits.
 */
export function keyOrDevelopmentKey(config: BaseConfig, variable: string, configured: string | undefined): string {
  if (configured) return configured;
  if (config.NODE_ENV === 'production') throw new Error(`${variable} is required in production`);
  new Logger('config').warn(`${variable} not set: using a development key derived from ADMIN_TOKEN`);
  return createHmac('sha256', config.ADMIN_TOKEN).update(`onecard development key: ${variable}`).digest('hex');
}

/**
 * The same rule for a key setting that holds a list, newest first ("new,old" while rotating):
 * the keys as configured (split on commas, nothing trimmed), or the one development key.
 */
export function keysOrDevelopmentKey(config: BaseConfig, variable: string, configured: string | undefined): string[] {
  const keys = (configured ?? '').split(',').filter((key) => key !== '');
  return keys.length > 0 ? keys : [keyOrDevelopmentKey(config, variable, undefined)];
}
