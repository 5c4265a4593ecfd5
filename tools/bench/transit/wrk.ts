// Distinct card taps under load, from wrk (C, a Lua script per thread) when it is installed: a
// body built per request costs autocannon's in-process generator enough of these two CPUs to
// move the service's figure, and wrk a small fraction of that. Without wrk the caller falls back
// to autocannon and says so.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load';

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** One device/card pair: its JSON body split around the time value. */
export interface TapTemplate {
  head: string;
  tail: string;
}

// Each wrk thread takes every n-th pair and moves each pair's device time on by one second per
// send, so no two requests of a run are the same tap. Times are Asia/Shanghai wall clock.
const SCRIPT = `
local threads, counter = {}, 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  local path, total, start = args[1], tonumber(args[2]), tonumber(args[3])
  route = args[4]
  pairs_, sends, first = {}, {}, start
  local i = 0
  for line in io.lines(path) do
    if i % total == id then
      local tab = line:find("\\t", 1, true)
      table.insert(pairs_, { line:sub(1, tab - 1), line:sub(tab + 1) })
      table.insert(sends, 0)
    end
    i = i + 1
  end
  next_ = 1
  headers = { ["Content-Type"] = "application/json" }
end
function request()
  local k = next_
  next_ = next_ % #pairs_ + 1
  local t = first + sends[k]
  sends[k] = sends[k] + 1
  local body = pairs_[k][1] .. '"' .. os.date("!%Y-%m-%d %H:%M:%S", t + 8 * 3600) .. '"' .. pairs_[k][2]
  return wrk.format("POST", route, headers, body)
end
`;

function ms(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** POSTs to `path` (card taps by default) bodies built from `templates` for `seconds` over `connections` connections. */
export async function wrkTaps(baseUrl: string, templates: TapTemplate[], startUnixS: number, seconds: number, connections: number, path = '/card_check'): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'onecard-wrk-'));
  try {
    const threads = Number(process.env.BENCH_WRK_THREADS ?? 1);
    writeFileSync(join(dir, 'taps.lua'), SCRIPT);
    writeFileSync(join(dir, 'pairs.tsv'), templates.map((t) => `${t.head}\t${t.tail}`).join('\n') + '\n');
    const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s', join(dir, 'taps.lua'), baseUrl, '--', join(dir, 'pairs.tsv'), String(threads), String(startUnixS), path];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}:\n${text}`))));
    });
    const latency = (p: string) => {
      const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
      if (!m) throw new Error(`wrk printed no ${p}% latency:\n${output}`);
      return ms(m[1], m[2]);
    };
    const done = /(\d+) requests in ([\d.]+)(s|m)/.exec(output);
    if (!done) throw new Error(`wrk printed no request count:\n${output}`);
    const responses = Number(done[1]);
    const elapsed = Number(done[2]) * (done[3] === 'm' ? 60 : 1);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
    const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
    return { rps: responses / elapsed, p50: latency('50'), p99: latency('99'), responses, errors, non2xx, seconds: elapsed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
