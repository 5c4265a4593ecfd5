import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { redact, redactText } from './redact';

export type AppLogger = Pino;

/** One JSON line per event on stdout; every object passes through `redact`. */
export function createLogger(app: string, level: string): AppLogger {
  return pino({
    level,
    base: { app },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        const safe = args.map((a) => (typeof a === 'string' ? redactText(a) : redact(a)));
        method.apply(this, safe as Parameters<typeof method>);
      },
    },
  });
}

/** Nest's logger interface over pino, so framework messages are JSON lines too. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    // Stack traces stay in logs (never on the wire), at debug to keep prod logs short.
    this.logger.error({ context }, String(message));
    if (trace) this.logger.debug({ context, trace }, 'stack');
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
