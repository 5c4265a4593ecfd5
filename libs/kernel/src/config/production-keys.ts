import { Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { BaseConfig } from './base-config';

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
