import { join } from 'node:path';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';

const root = join(__dirname, '..', '..');

/**
 * Cross-service tests boot several apps in one process. Apps have no import alias (an app never
 * imports another), so tests load them by path here, and only here.
 */
export function loadApp<C extends BaseConfig = BaseConfig>(app: string): OneCardAppDefinition<C> {
  const mod = require(join(root, 'apps', app, 'src', 'app.definition.ts')) as Record<string, unknown>;
  const definition = Object.values(mod).find((v) => typeof v === 'object' && v !== null && (v as { name?: string }).name === app);
  if (!definition) throw new Error(`apps/${app}/src/app.definition.ts exports no definition named ${app}`);
  return definition as OneCardAppDefinition<C>;
}

/** A test-support module of an app (its device client, fixtures). */
export function loadTestSupport<T>(app: string, file: string): T {
  return require(join(root, 'apps', app, 'test', file)) as T;
}
