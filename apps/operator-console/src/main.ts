import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, NestPinoLogger } from '@onecard/kernel';
import { operatorConsoleApp } from './app.definition';
import { startOperatorConsole } from './app';

function fatal(message: string): never {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', app: operatorConsoleApp.name, time: new Date().toISOString(), msg: message })}\n`);
  process.exit(1);
}

startOperatorConsole()
  .then((running) => {
    // The platform's outbound clients log through Nest's Logger: as JSON lines, like the apps.
    Logger.overrideLogger(new NestPinoLogger(running.logger));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void running.close().then(() => process.exit(0)));
  })
  .catch((error: unknown) => fatal(error instanceof ConfigError ? error.message : `start-up failed: ${(error as Error)?.message ?? String(error)}`));
