import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_ADMIN_TOKEN, TestBus } from '@onecard/testing';

type ConsoleModule = typeof import('../../../apps/operator-console/src/app');
export type RunningConsole = Awaited<ReturnType<ConsoleModule['startOperatorConsole']>>;

export const CONSOLE_TOKEN = 'test-console-token-0123456789';

/** The operator console on a free port, reading the apps at `urls` (CONSOLE_*_URL) and `bus`'s stream. */
export function startConsole(bus: TestBus, env: Record<string, string>): Promise<RunningConsole> {
  // Loaded by path as load-app.ts loads the apps: an app is no library with an alias.
  const { startOperatorConsole } = require(join(__dirname, '..', '..', '..', 'apps', 'operator-console', 'src', 'app.ts')) as ConsoleModule;
  return startOperatorConsole({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    CONSOLE_TOKEN,
    CONSOLE_UPSTREAM_TIMEOUT_MS: '3000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...bus.env,
    ...env,
  });
}

/** A URL where nothing listens: an app that is down. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** An HTTP call to the console; `token` is sent as `Authorization: Bearer` unless null. */
export async function consoleCall(url: string, method: string, path: string, options: { token?: string | null; headers?: Record<string, string>; body?: string } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? CONSOLE_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}${path}`, { method, headers, body: options.body, redirect: 'manual' });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** Reads /api/live's Server-Sent Events as text, frame by frame. */
export class LiveStream {
  private buffer = '';
  private readonly controller = new AbortController();
  private reader?: ReadableStreamDefaultReader<Uint8Array>;

  static async open(url: string): Promise<LiveStream> {
    const stream = new LiveStream();
    const res = await fetch(`${url}/api/live`, { headers: { authorization: `Bearer ${CONSOLE_TOKEN}` }, signal: stream.controller.signal });
    if (res.status !== 200 || !res.body) throw new Error(`/api/live answered ${res.status}`);
    stream.reader = res.body.getReader();
    return stream;
  }

  /** Frames (blocks ending in a blank line) until one satisfies `match`; rejects after `timeoutMs`. */
  async until(match: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const decoder = new TextDecoder();
    for (;;) {
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (match(frame)) return frame;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no such frame on /api/live in time');
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([this.reader!.read(), new Promise<null>((r) => (timer = setTimeout(() => r(null), left)))]).finally(() => clearTimeout(timer));
      if (chunk === null) continue;
      if (chunk.done) throw new Error('/api/live ended');
      this.buffer += decoder.decode(chunk.value, { stream: true });
    }
  }

  close(): void {
    this.controller.abort();
  }
}
