import type { FastifyRequest } from 'fastify';
import type { TerminalIdentity } from './terminal-credentials';

const TERMINAL = Symbol('wage-attendance:terminal');

export function setTerminal(request: FastifyRequest, terminal: TerminalIdentity): void {
  (request as unknown as Record<symbol, TerminalIdentity>)[TERMINAL] = terminal;
}

export function terminalOf(request: FastifyRequest): TerminalIdentity {
  return (request as unknown as Record<symbol, TerminalIdentity>)[TERMINAL];
}
