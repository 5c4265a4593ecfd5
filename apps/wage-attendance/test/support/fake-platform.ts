import { createHash, createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A callback as the fake supervision platform received it. */
export interface ReceivedCallback {
  path: string;
  form: Record<string, string>;
  /** The body's field names in the order sent. */
  fields: string[];
  contentType: string;
  callbackId: string;
  signatureValid: boolean;
  receivedAt: number;
}

export type PlatformMode = 'up' | 'down' | 'refusing' | 'erroring';

/**
 * The supervision platform, played by a local node:http server: it records the callbacks it
 * takes (checking each X-Signature as the platform would), can go down (connections refused, the
 * port kept), refuse in its envelope (`success: false`) or answer 500, and serves photos.
 */
export class FakePlatform {
  readonly received: ReceivedCallback[] = [];
  /** Every attempt, taken or not. */
  attempts = 0;
  mode: PlatformMode = 'up';
  /** Each callback answered after this long (a slower platform widens every race). */
  delayMs = 0;
  /** Path → what GET answers (photos for /person/photo). */
  readonly files = new Map<string, { status: number; type: string; body: Buffer; delayMs?: number }>();
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  /** Down: the port stops listening and open connections are cut. */
  async goDown(): Promise<void> {
    this.mode = 'down';
    const closed = new Promise((r) => this.server?.close(r));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async comeBack(): Promise<void> {
    this.mode = 'up';
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => (this.server?.listening ? this.server.close(r) : r(undefined)));
  }

  /** Callbacks taken on one path (kind), in arrival order. */
  on(kind: string): ReceivedCallback[] {
    return this.received.filter((c) => c.path.endsWith(`/${kind}`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET') {
      const file = this.files.get(path);
      if (file?.delayMs) await new Promise((r) => setTimeout(r, file.delayMs));
      res.writeHead(file?.status ?? 404, { 'content-type': file?.type ?? 'text/plain' });
      res.end(file?.body ?? 'not found');
      return;
    }
    this.attempts++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.mode === 'erroring') {
      res.writeHead(500).end('upstream trouble');
      return;
    }
    const envelope = (success: boolean, message: string) => JSON.stringify({ success, message, code: success ? 200 : 500, timestamp: Date.now(), result: {} });
    if (this.mode === 'refusing') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(envelope(false, '系统繁忙'));
      return;
    }
    const text = body.toString('utf8');
    const params = new URLSearchParams(text);
    const timestamp = String(req.headers['x-timestamp'] ?? '');
    const callbackId = String(req.headers['x-callback-id'] ?? '');
    const canonical = ['POST', path, timestamp, callbackId, createHash('sha256').update(body).digest('hex')].join('\n');
    const expected = createHmac('sha256', this.secret).update(canonical).digest('hex');
    this.received.push({
      path,
      form: Object.fromEntries(params),
      fields: [...params.keys()],
      contentType: String(req.headers['content-type'] ?? ''),
      callbackId,
      signatureValid: req.headers['x-signature'] === expected,
      receivedAt: Date.now(),
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(envelope(true, 'success'));
  }
}
