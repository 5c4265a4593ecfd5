import { OperatorConsoleConfig } from './config';

/**
 * The operator console. Not a OneCardAppDefinition: that describes an app with a schema,
 * migrations, an outbox and a wire envelope of a device contract, and the console has none of
 * them (it reads the five apps' /admin APIs and the event stream, and answers its own JSON).
 */
export const operatorConsoleApp = {
  name: 'operator-console',
  title: 'Operator console: fleet map, stock, backlogs and dead letters over the five apps\' /admin APIs and events.',
  defaultPort: 3006,
  configClass: OperatorConsoleConfig,
} as const;
