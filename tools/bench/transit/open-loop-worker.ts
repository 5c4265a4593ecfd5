// Open-loop load, run as its own process (open-loop.ts starts it): requests fall due on a fixed
// schedule (rate × elapsed time) whatever the answers are doing. Each latency counts from the
// moment the generator took the request up (its timer turn), whether a connection was free or it
// had to wait for one, so a server that stalls is charged for the requests queued behind the
// stall (no coordinated omission) but not for the generator's own timer granularity, which
// alone put 2 ms on the median of a bare route when counted from the due time. Raw keep-alive sockets with
// the request bytes built by hand and only status and Content-Length read from answers: the
// node:http client this replaced cost more CPU per request than the route it measured, on the
// same two cores, and its own pauses showed up in the baseline's p99.
//
// argv: url path templates.tsv startUnixS rate seconds connections. Prints one JSON line (LoadResult).
import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { LatencyHistogram, record } from './latency-histogram';

const [url, path, templatesFile, startArg, rateArg, secondsArg, connectionsArg] = process.argv.slice(2);
const target = new URL(url);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const connections = Number(connectionsArg);
const start = Number(startArg);

// Each template is a body split around its device time; every send of a template moves that time
// on by a second, so no two requests are the same tap (a repeat would be a validator's retry).
const templates = readFileSync(templatesFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split('\t') as [string, string]);
const sends = new Array<number>(templates.length).fill(0);
const times = new Map<number, string>();
const pad = (n: number) => String(n).padStart(2, '0');
function wireTime(offset: number): string {
  let text = times.get(offset);
  if (text === undefined) {
    // Asia/Shanghai wall clock, as the validators send it.
    const d = new Date((start + offset + 8 * 3600) * 1000);
    text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    times.set(offset, text);
  }
  return text;
}
let nextTemplate = 0;
function nextRequest(): Buffer {
  const k = nextTemplate;
  nextTemplate = (nextTemplate + 1) % templates.length;
  const body = `${templates[k][0]}"${wireTime(sends[k]++)}"${templates[k][1]}`;
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const latencies = new Float64Array(Math.ceil(rate * seconds * 1.05) + 16);
const histogram: LatencyHistogram = {};
let answered = 0;
let lastAnswerAt = 0;
let errors = 0;
let non2xx = 0;
/** When requests waiting for a free connection were taken up (ms). */
const waiting: number[] = [];
let waitingHead = 0;

interface Connection {
  socket: Socket;
  /** Due time of the request in flight; undefined when idle. */
  due?: number;
  buffer: Buffer;
}
const idle: Connection[] = [];

function send(conn: Connection, due: number): void {
  conn.due = due;
  conn.socket.write(nextRequest());
}

function complete(conn: Connection, status: number): void {
  const ms = performance.now() - conn.due!;
  if (answered < latencies.length) latencies[answered] = ms;
  record(histogram, ms);
  answered++;
  lastAnswerAt = performance.now();
  if (status < 200 || status > 299) non2xx++;
  conn.due = undefined;
  if (waitingHead < waiting.length) send(conn, waiting[waitingHead++]);
  else idle.push(conn);
}

const HEADER_END = Buffer.from('\r\n\r\n');
function onData(conn: Connection, chunk: Buffer): void {
  conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
  for (;;) {
    const end = conn.buffer.indexOf(HEADER_END);
    if (end < 0) return;
    const head = conn.buffer.toString('latin1', 0, end);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (conn.buffer.length < end + 4 + length) return;
    conn.buffer = conn.buffer.subarray(end + 4 + length);
    complete(conn, Number(head.slice(9, 12)));
  }
}

function open(): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port) }, () => resolve(conn));
    const conn: Connection = { socket, buffer: Buffer.alloc(0) };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => onData(conn, chunk));
    socket.once('error', (error) => {
      errors++;
      reject(error);
    });
    socket.once('close', () => {
      const i = idle.indexOf(conn);
      if (i >= 0) idle.splice(i, 1);
      if (conn.due !== undefined) errors++;
    });
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < connections; i++) idle.push(await open());
  const all = [...idle];
  const begin = performance.now();
  let issued = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      if (now - begin >= seconds * 1000) return done();
      const due = Math.floor(((now - begin) / 1000) * rate);
      for (; issued < due; issued++) {
        const conn = idle.pop();
        if (conn) send(conn, now);
        else waiting.push(now);
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  const sendingEnded = performance.now();
  // Answers still owed are waited for (a little), so the slowest are counted, not dropped.
  const deadline = performance.now() + 10_000;
  while ((all.some((c) => c.due !== undefined) || waitingHead < waiting.length) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const elapsed = (Math.max(sendingEnded, lastAnswerAt) - begin) / 1000;
  const owed = all.filter((c) => c.due !== undefined).length + (waiting.length - waitingHead);
  for (const c of all) c.socket.destroy();
  const measured = Array.from(latencies.subarray(0, Math.min(answered, latencies.length))).sort((a, b) => a - b);
  const at = (p: number) => (measured.length ? measured[Math.min(measured.length - 1, Math.ceil((p / 100) * measured.length) - 1)] : 0);
  process.stdout.write(
    `${JSON.stringify({ rps: answered / elapsed, p50: at(50), p99: at(99), responses: answered, errors: errors + owed, non2xx, seconds: elapsed, offered: issued / ((sendingEnded - begin) / 1000), histogram })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`open-loop load failed: ${(error as Error).message}\n`);
  process.exit(1);
});
