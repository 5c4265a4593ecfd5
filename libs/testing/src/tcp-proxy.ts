import { createServer, Server, Socket, connect } from 'node:net';

interface Link {
  client: Socket;
  upstream?: Socket;
}

/**
 * A loopback TCP proxy a test can cut or freeze: `down()` drops every connection and refuses new
 * ones, as an unreachable Postgres or NATS would; `stall()` keeps every connection open and
 * accepts new ones but carries no byte either way, as a paused server (SIGSTOP, a full disk, a
 * network partition) would; `up()` restores it on the same port (after a stall, what was held
 * flows on).
 */
export class TcpProxy {
  private server?: Server;
  private readonly links = new Set<Link>();
  private stalled = false;
  port = 0;

  private constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  static async start(target: string): Promise<TcpProxy> {
    const url = new URL(target);
    const proxy = new TcpProxy(url.hostname, Number(url.port));
    await proxy.up();
    return proxy;
  }

  /** `target` URL with its host:port replaced by the proxy's. */
  rewrite(target: string): string {
    const url = new URL(target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async up(): Promise<void> {
    if (this.stalled) {
      this.stalled = false;
      for (const link of this.links) this.carry(link);
    }
    if (this.server) return;
    const server = createServer((client) => {
      const link: Link = { client };
      this.links.add(link);
      client.on('error', () => this.drop(link)).on('close', () => this.drop(link));
      if (this.stalled) client.pause();
      else this.carry(link);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Keeps every connection and accepts new ones, but forwards nothing until `up()`. */
  stall(): void {
    this.stalled = true;
    for (const { client, upstream } of this.links) {
      client.unpipe();
      upstream?.unpipe();
      client.pause();
      upstream?.pause();
    }
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.stalled = false;
    for (const link of this.links) this.drop(link);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private carry(link: Link): void {
    if (!link.upstream) {
      const upstream = connect(this.targetPort, this.targetHost);
      upstream.on('error', () => this.drop(link)).on('close', () => this.drop(link));
      link.upstream = upstream;
    }
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
    link.client.resume();
    link.upstream.resume();
  }

  private drop(link: Link): void {
    link.client.destroy();
    link.upstream?.destroy();
    this.links.delete(link);
  }
}
