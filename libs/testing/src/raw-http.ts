import { connect } from 'node:net';
import type { HttpResult } from './test-app';

/**
 * Sends `request` (the bytes of an HTTP/1.1 request, head and body) as it is, over a fresh
 * connection, and reads the answer until the server closes it: what fetch would refuse to send
 * or would tidy up (a malformed percent-escape, an oversized header, a bare method).
 */
export function rawHttp(url: string, request: string | Buffer, timeoutMs = 10_000): Promise<HttpResult & { raw: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms: ${Buffer.concat(chunks).toString()}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      const split = bytes.indexOf('\r\n\r\n');
      const head = split < 0 ? raw : bytes.subarray(0, split).toString('utf8');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      let content: Buffer = split < 0 ? Buffer.alloc(0) : bytes.subarray(split + 4);
      const length = headers.get('content-length');
      if (length !== null) content = content.subarray(0, Number(length));
      else if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) content = dechunk(content);
      const text = content.toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, text, body, raw });
    });
    socket.write(request);
  });
}

/** A request head (and body) for rawHttp, asking the server to close the connection after it. */
export function rawRequest(method: string, path: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body) lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The content of a `transfer-encoding: chunked` body (as far as it arrived). */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
