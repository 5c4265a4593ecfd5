import cluster from 'node:cluster';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { ConfigError, loadConfig, StartupError } from '@onecard/kernel';
import { createOneCardApp } from './create-app';

function fatal(definition: OneCardAppDefinition, message: string): never {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', app: definition.name, time: new Date().toISOString(), msg: message })}\n`);
  process.exit(1);
}

/**
 * What `main.ts` calls. A bad configuration value or an unusable dependency prints one line
 * naming the variable and exits non-zero. With WORKERS > 1 this process only supervises that
 * many workers, each a full replica of the app on the same port.
 */
export function runApp<C extends BaseConfig>(definition: OneCardAppDefinition<C>): void {
  if (cluster.isPrimary) {
    let workers: number;
    try {
      workers = loadConfig(definition.configClass, process.env, { PORT: definition.defaultPort, DB_SCHEMA: definition.defaultSchema }).WORKERS;
    } catch (error) {
      fatal(definition, (error as Error).message);
    }
    if (workers > 1) return superviseWorkers(definition, workers);
  }
  createOneCardApp(definition).catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof StartupError;
    fatal(definition, known ? (error as Error).message : `start-up failed: ${(error as Error)?.message ?? String(error)}`);
  });
}

/**
 * Forks the workers and stays out of the way: a worker failing before it listens stops them all
 * (it would fail again: configuration, database); one dying later is replaced. SIGTERM/SIGINT
 * are passed on and the supervisor exits once every worker has shut down.
 */
function superviseWorkers(definition: OneCardAppDefinition, count: number): void {
  let stopping = false;
  const listening = new Set<number>();
  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => listening.add(worker.id));
    worker.once('exit', (code, signal) => {
      const wasListening = listening.delete(worker.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        return;
      }
      if (!wasListening) {
        stopping = true;
        for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
        fatal(definition, `worker ${worker.process.pid} failed to start (exit ${code ?? signal}); see its log line above`);
      }
      process.stderr.write(`${JSON.stringify({ level: 'error', app: definition.name, time: new Date().toISOString(), msg: `worker ${worker.process.pid} exited (${code ?? signal}); starting another` })}\n`);
      fork();
    });
  };
  for (let i = 0; i < count; i++) fork();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    });
  }
}
