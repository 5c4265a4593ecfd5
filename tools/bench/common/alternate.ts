// Service and baseline in alternating slices (service, baseline, service, …): on a shared machine
// the speed drifts by up to a factor of two within minutes, and back-to-back runs would put that
// drift between the two figures. Each side's figures are then taken over all its slices.
import { CpuMeter, CpuPerAnswer } from './cpu';
import { LoadResult, LoadSpec, pool, runLoad } from './load';
import type { Proc } from './processes';

export interface Side<R extends { responses: number }> {
  /** The process whose CPU each answer is charged. */
  pid: number;
  /** One slice of load. */
  run(): Promise<R>;
  /** Work the slice left behind (batched writes, the outbox), done before the other side's slice and charged to this side. */
  settle?(): Promise<void>;
}

export interface SideResult<R> {
  slices: R[];
  cpu: CpuPerAnswer;
}

export async function alternate<R extends { responses: number }>(rounds: number, service: Side<R>, baseline: Side<R>): Promise<{ service: SideResult<R>; baseline: SideResult<R> }> {
  const sides = [service, baseline];
  const meters = sides.map((side) => new CpuMeter(side.pid));
  const slices: R[][] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < sides.length; i++) {
      meters[i].start();
      slices[i].push(await sides[i].run());
      await sides[i].settle?.();
      meters[i].stop();
    }
  }
  const result = (i: number) => ({ slices: slices[i], cpu: meters[i].perAnswer(slices[i].reduce((n, r) => n + r.responses, 0)) });
  return { service: result(0), baseline: result(1) };
}

export interface Compared extends SideResult<LoadResult> {
  /** Every slice's answers pooled (rate over their summed time, percentiles over every answer). */
  load: LoadResult;
}

export interface CompareOptions {
  service: Proc & { settle?(): Promise<void> };
  baseline: Proc & { settle?(): Promise<void> };
  /** The load, for each side's URL (the same load, or the baseline's own data). */
  load(url: string, side: 'service' | 'baseline'): Omit<LoadSpec, 'url' | 'seconds'>;
  /** Seconds of load per side in all, split over the rounds (default 3 rounds). */
  seconds: number;
  rounds?: number;
}

/** The common case: one autocannon load on the service and on the baseline, alternating. */
export async function compare(options: CompareOptions): Promise<{ service: Compared; baseline: Compared }> {
  const rounds = options.rounds ?? 3;
  const seconds = Math.max(1, Math.round(options.seconds / rounds));
  const side = (proc: CompareOptions['service'], name: 'service' | 'baseline'): Side<LoadResult> => ({
    pid: proc.pid,
    run: () => runLoad({ ...options.load(proc.url, name), url: proc.url, seconds }),
    settle: proc.settle,
  });
  const { service, baseline } = await alternate(rounds, side(options.service, 'service'), side(options.baseline, 'baseline'));
  return { service: { ...service, load: pool(service.slices) }, baseline: { ...baseline, load: pool(baseline.slices) } };
}
