// Open-loop load at a fixed rate from its own process (open-loop-worker.ts): latency at a given
// rate, charged from each request's due time, rather than latency at saturation (closed loop).
// This is how validators load the server: each bus taps on its own clock.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    // A small young generation: on this VM a scavenge costs about 0.7 ms per MB of semi-space, and
    // the default (up to 16 MB) paused the generator for 10–17 ms, charged to whatever it measured.
    const args = ['--max-semi-space-size=1', join(__dirname, 'open-loop-worker.js'), baseUrl, path, file, String(startUnixS), String(rate), String(seconds), String(connections)];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
