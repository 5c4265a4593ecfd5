import type { BaseConfig } from '../config';
import { ConfigError } from '../config';
import type { OneCardAppDefinition } from './app-definition';
import { createOneCardApp } from './create-app';
import { StartupError } from './startup-error';

/**
 * What `main.ts` calls. A bad configuration value or an unusable dependency prints one line
 * naming the variable and exits non-zero.
 */
export function runApp<C extends BaseConfig>(definition: OneCardAppDefinition<C>): void {
  createOneCardApp(definition).catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof StartupError;
    const message = known ? (error as Error).message : `start-up failed: ${(error as Error)?.message ?? String(error)}`;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', app: definition.name, time: new Date().toISOString(), msg: message })}\n`);
    process.exit(1);
  });
}
