// Open-loop load at a fixed rate from its own process (open-loop.c, or open-loop-worker.ts where
// no C compiler is found; same schedule and measurements): latency at a given rate rather than
// latency at saturation (closed loop). This is how validators load the server: each bus taps on
// its own clock.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LatencyHistogram } from './latency-histogram';
import type { LoadResult } from './load';
import type { TapTemplate } from './wrk';

export interface OpenLoopResult extends LoadResult {
  /** The rate requests actually fell due at (below the asked rate only if the generator fell behind). */
  offered: number;
  /** Every latency, for pooling slices (latency-histogram.ts). */
  histogram: LatencyHistogram;
}

/** The C generator (open-loop.c), compiled once per run with the system's compiler; undefined without one. */
let compiled: string | undefined | null = null;
function cGenerator(): string | undefined {
  if (compiled !== null) return compiled;
  const source = join(__dirname, '..', '..', '..', '..', 'tools', 'bench', 'transit', 'open-loop.c');
  const dir = mkdtempSync(join(tmpdir(), 'onecard-open-loop-bin-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const binary = join(dir, 'open-loop');
  const built = existsSync(source) && spawnSync('cc', ['-O2', '-o', binary, source, '-lm'], { stdio: 'ignore' }).status === 0;
  compiled = built ? binary : undefined;
  return compiled;
}

/** Which generator `openLoop` uses, for the log. */
export function openLoopGenerator(): string {
  return cGenerator() ? 'C (open-loop.c, about 16 µs of CPU per request)' : 'Node (open-loop-worker.ts: no C compiler found, about 40 µs of CPU per request)';
}

/** POSTs `templates` (bodies split around their device time) to `path` at `rate` per second for `seconds`. */
export async function openLoop(
  baseUrl: string,
  path: string,
  templates: TapTemplate[],
  startUnixS: number,
  rate: number,
  seconds: number,
  connections = 64,
): Promise<OpenLoopResult> {
  const dir = mkdtempSync(join(tmpdir(), 'onecard-open-loop-'));
  try {
    const file = join(dir, 'templates.tsv');
    writeFileSync(file, templates.map((t) => `${t.head}\t${t.tail}`).join('\n') + '\n');
    const target = new URL(baseUrl);
    const binary = cGenerator();
    const [command, args] = binary
      ? [binary, [target.hostname, target.port, path, file, String(startUnixS), String(rate), String(seconds), String(connections)]]
      : // A small young generation: on this VM a scavenge costs about 0.7 ms per MB of semi-space, and
        // the default (up to 16 MB) paused the generator for 10–17 ms, charged to whatever it measured.
        [process.execPath, ['--max-semi-space-size=1', join(__dirname, 'open-loop-worker.js'), baseUrl, path, file, String(startUnixS), String(rate), String(seconds), String(connections)]];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`open-loop load exited with ${code}: ${err}`))));
    });
    return JSON.parse(output.trim().split('\n').pop()!) as OpenLoopResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
