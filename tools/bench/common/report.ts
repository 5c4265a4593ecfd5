// Output: progress lines as the benchmark goes, and at the end one table with each figure beside
// its baseline from the same run (Markdown, so it pastes into the README as it is).
import { cpus, loadavg } from 'node:os';
import type { Compared } from './alternate';
import type { CpuPerAnswer } from './cpu';
import type { LoadResult } from './load';

export const log = (line = '') => process.stdout.write(`${line}\n`);

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A latency from autocannon (whole ms, rounded down). */
export const wholeMs = (ms: number) => (ms < 1 ? '< 1 ms' : `${fmt(ms)} ms`);

export const machine = () => `${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

/** `8,285 req/s, p99 12 ms` */
export function describeLoad(load: LoadResult): string {
  return `${fmt(load.rps)} req/s, p99 ${wholeMs(load.p99)}`;
}

/** `106 µs CPU each (89 on the request thread)` */
export function describeCpu(cpu: CpuPerAnswer): string {
  return `${fmt(cpu.processUs)} µs CPU each (${fmt(cpu.threadUs)} on the request thread)`;
}

/** The progress line of one side of a comparison: rate, latency, slices, failures, CPU by process. */
export function logCompared(label: string, side: Compared): void {
  const { load, cpu } = side;
  const failed = load.errors + load.non2xx;
  log(`${label}: ${describeLoad(load)}, p50 ${wholeMs(load.p50)}, max ${wholeMs(load.max)} (slices ${side.slices.map((s) => fmt(s.rps)).join(', ')} req/s${failed ? `; ${failed} FAILED` : ''})`);
  log(`  CPU per answer: ${fmt(cpu.processUs)} µs, request thread ${fmt(cpu.threadUs)} µs; whole machine ${fmt(cpu.machineUs)} µs (Postgres ${fmt(cpu.postgresUs)}, NATS ${fmt(cpu.natsUs)})`);
}

export interface Row {
  figure: string;
  service: string;
  baseline: string;
  target: string;
  ok: boolean;
}

export class Report {
  private readonly rows: Row[] = [];

  add(row: Row): void {
    this.rows.push(row);
  }

  print(): void {
    log();
    log(`${machine()} at the end. The machine is shared: read each figure against its baseline, measured in the same run in alternating slices.`);
    log();
    log('| figure | service | baseline, same run | target | met |');
    log('| --- | --- | --- | --- | --- |');
    for (const r of this.rows) log(`| ${r.figure} | ${r.service} | ${r.baseline} | ${r.target} | ${r.ok ? 'yes' : '**no**'} |`);
  }
}
