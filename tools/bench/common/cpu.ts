// What a process costs, from /proc (Linux): CPU time per answer moves far less than req/s when
// the machine is shared, and RSS shows what a request holds on to.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10;

function ticks(statPath: string): number {
  const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU ms (user + system, every thread) a process and its children (WORKERS) have used so far. */
export function processCpuMs(pid: number): number {
  return [pid, ...childPids(pid)].reduce((total, id) => total + ticks(`/proc/${id}/stat`), 0) * TICK_MS;
}

/**
 * CPU ms of the thread that answers requests: the main thread (JavaScript's event loop), or the
 * children's with WORKERS. Without libuv's pool, V8's GC helpers or worker threads (the outbox relay).
 */
export function requestThreadCpuMs(pid: number): number {
  const children = childPids(pid);
  return (children.length > 0 ? children : [pid]).reduce((total, id) => total + ticks(`/proc/${id}/task/${id}/stat`), 0) * TICK_MS;
}

/** CPU ticks so far of every process called `name` (`postgres`, `nats-server`), by pid: shared servers, so other clients' work counts too. */
function namedTicks(name: string): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) byPid.set(entry, ticks(`/proc/${entry}/stat`));
    } catch {
      // gone since the listing
    }
  }
  return byPid;
}

/** CPU ms of the whole machine so far (user, nice, system, interrupts; not idle, iowait or steal). */
function machineCpuMs(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) * TICK_MS;
}

/** µs of CPU per answer: the measured process, its request thread, Postgres, the NATS server, the whole machine. */
export interface CpuPerAnswer {
  processUs: number;
  threadUs: number;
  postgresUs: number;
  natsUs: number;
  machineUs: number;
}

/** Adds up one process's CPU (and Postgres's, NATS's, the machine's) over the intervals between start() and stop(). */
export class CpuMeter {
  private readonly total = { process: 0, thread: 0, postgres: 0, nats: 0, machine: 0 };
  private open?: { process: number; thread: number; postgres: Map<string, number>; nats: Map<string, number>; machine: number };

  constructor(private readonly pid: number) {}

  start(): void {
    this.open = { process: processCpuMs(this.pid), thread: requestThreadCpuMs(this.pid), postgres: namedTicks('postgres'), nats: namedTicks('nats-server'), machine: machineCpuMs() };
  }

  stop(): void {
    const o = this.open!;
    // A process that started meanwhile counts whole; one that exited meanwhile is not seen.
    const since = (name: string, before: Map<string, number>) => [...namedTicks(name)].reduce((sum, [pid, now]) => sum + now - (before.get(pid) ?? 0), 0) * TICK_MS;
    this.total.process += processCpuMs(this.pid) - o.process;
    this.total.thread += requestThreadCpuMs(this.pid) - o.thread;
    this.total.postgres += since('postgres', o.postgres);
    this.total.nats += since('nats-server', o.nats);
    this.total.machine += machineCpuMs() - o.machine;
    this.open = undefined;
  }

  perAnswer(answers: number): CpuPerAnswer {
    const us = (ms: number) => (ms * 1000) / Math.max(answers, 1);
    const t = this.total;
    return { processUs: us(t.process), threadUs: us(t.thread), postgresUs: us(t.postgres), natsUs: us(t.nats), machineUs: us(t.machine) };
  }
}

/** Resident set size of a process, MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Samples a process's RSS every 10 ms until stopped; stop() gives the peak, MB. */
export function peakRss(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // exited
    }
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
