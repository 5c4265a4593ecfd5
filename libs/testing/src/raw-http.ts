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
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      const head = split < 0 ? raw : raw.slice(0, split);
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      let text = split < 0 ? '' : raw.slice(split + 4);
      const length = headers.get('content-length');
      if (length !== null) text = Buffer.from(text).subarray(0, Number(length)).toString('utf8');
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
