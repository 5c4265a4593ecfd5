// Service and baseline loads in alternating slices (service, baseline, service, …): on a shared
// VM the machine's speed drifts by a factor of two within minutes, and back-to-back runs put
// that drift between the two figures. Each side's figures are then taken over all its slices.
import type { LoadResult } from './load';
import { cpuMs, machineCpuMs, namedCpu, namedCpuMsSince, requestThreadCpuMs } from './processes';

export interface Side<R extends LoadResult = LoadResult> {
  pid: number;
  /** One slice of load. */
  run(): Promise<R>;
  /** Work the slice left behind (batched writes, outbox), done before the other side's slice. */
  settle?(): Promise<void>;
}

export interface SideResult<R extends LoadResult = LoadResult> {
  load: LoadResult;
  /** CPU per answer, µs: the side's process (and its workers) over the whole alternation. */
  processUs: number;
  /** CPU per answer, µs: the side's request thread alone (its event loop; see requestThreadCpuMs). */
  threadUs: number;
  /** CPU per answer, µs: every process on the machine during the side's slices and settling. */
  machineUs: number;
  /** Of which Postgres (every `postgres` process) and the NATS server, µs per answer. */
  postgresUs: number;
  natsUs: number;
  slices: R[];
}

/** Rounds of (service slice, baseline slice) per figure. */
export const ROUNDS = 3;

/** Whole seconds per slice, so the rounds together take about `total` seconds (wrk takes whole seconds). */
export function sliceSeconds(total: number): number {
  return Math.max(1, Math.round(total / ROUNDS));
}

export async function alternate<R extends LoadResult>(rounds: number, service: Side<R>, baseline: Side<R>): Promise<{ service: SideResult<R>; baseline: SideResult<R> }> {
  const sides = [service, baseline];
  const slices: R[][] = [[], []];
  const machineMs = [0, 0];
  const postgresMs = [0, 0];
  const natsMs = [0, 0];
  const process0 = sides.map((side) => cpuMs(side.pid));
  const thread0 = sides.map((side) => requestThreadCpuMs(side.pid));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < sides.length; i++) {
      const [machine0, postgres0, nats0] = [machineCpuMs(), namedCpu('postgres'), namedCpu('nats-server')];
      slices[i].push(await sides[i].run());
      await sides[i].settle?.();
      machineMs[i] += machineCpuMs() - machine0;
      postgresMs[i] += namedCpuMsSince('postgres', postgres0);
      natsMs[i] += namedCpuMsSince('nats-server', nats0);
    }
  }
  const result = (i: number): SideResult<R> => {
    const load = combine(slices[i]);
    const answers = Math.max(load.responses, 1);
    const perAnswer = (ms: number) => (ms * 1000) / answers;
    return {
      load,
      processUs: perAnswer(cpuMs(sides[i].pid) - process0[i]),
      threadUs: perAnswer(requestThreadCpuMs(sides[i].pid) - thread0[i]),
      machineUs: perAnswer(machineMs[i]),
      postgresUs: perAnswer(postgresMs[i]),
      natsUs: perAnswer(natsMs[i]),
      slices: slices[i],
    };
  };
  return { service: result(0), baseline: result(1) };
}

/** Slices as one load: rate over the summed time, the median slice's p50 and the worst slice's p99. */
export function combine(slices: LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => slices.reduce((total, r) => total + pick(r), 0);
  const p50s = slices.map((r) => r.p50).sort((a, b) => a - b);
  const seconds = sum((r) => r.seconds);
  return {
    rps: sum((r) => r.responses) / Math.max(seconds, 1e-9),
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(0, ...slices.map((r) => r.p99)),
    responses: sum((r) => r.responses),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    seconds,
  };
}
