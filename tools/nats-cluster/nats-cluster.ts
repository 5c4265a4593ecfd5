// A three-node JetStream cluster on this machine, from the machine's nats-server: for the
// cluster drill and for an operator who wants to try the apps on a cluster (main.ts).
import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, killWithParent } from '../common/local';
import { Tail } from '../dev/format';
import { findNatsServer } from '../dev/nats';
import { ClusterNode, ClusterPorts, clientUrl, clusterNodes, nodeConfig } from './cluster-config';

export interface NatsClusterOptions {
  /** The nats-server binary; PATH and the sbin directories otherwise (Debian's /usr/sbin/nats-server). */
  binary?: string;
  /** Where configs and stores go; a new temporary directory otherwise, removed by `close()`. */
  dir?: string;
  /** Fixed ports (`portsFrom(4240)`); free ones the OS picks otherwise. */
  ports?: ClusterPorts;
  /** How many nodes, when the ports are picked here (3). */
  size?: number;
  /** Every line a node prints (they log to stderr). */
  onLine?: (node: string, line: string) => void;
  /** How long `start()` waits for the cluster to elect a JetStream meta leader. */
  readyTimeoutMs?: number;
}

/** What a node's /jsz says of the JetStream meta group. */
interface Jsz {
  meta_cluster?: { leader?: string; cluster_size?: number };
}

interface JszStreams {
  account_details?: Array<{ stream_detail?: Array<{ name: string; state: { messages: number; last_seq: number } }> }>;
}

/** What a node's /connz says of its client connections. */
interface Connz {
  connections?: Array<{ name?: string }>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ports the OS calls free now, so a drill never meets another run's (or a leftover's) server. */
async function freeClusterPorts(size: number): Promise<ClusterPorts> {
  const found = new Set<number>();
  while (found.size < size * 3) found.add(await freePort());
  const ports = [...found];
  return { client: ports.slice(0, size), cluster: ports.slice(size, 2 * size), http: ports.slice(2 * size) };
}

/** util-linux's setpriv (Linux only), which can set the parent-death signal before exec. */
function findSetpriv(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

interface RunningNode {
  child: ChildProcess;
  exited: Promise<void>;
  done: boolean;
}

/**
 * Nodes n1..nN with routes to each other, each with its own JetStream store. A node can be killed
 * (SIGKILL, as a machine lost) or stopped and started again on the same store and ports. `close()`
 * stops every node and removes the directory it made, and the nodes die with this process
 * whatever ends it, so a failed test leaves no server holding a port.
 */
export class NatsCluster {
  private readonly running = new Map<string, RunningNode>();
  private readonly tails = new Map<string, Tail>();
  private readonly setpriv = findSetpriv();

  private constructor(
    readonly nodes: readonly ClusterNode[],
    readonly dir: string,
    private readonly binary: string,
    private readonly ownDir: boolean,
    private readonly options: NatsClusterOptions,
  ) {}

  /** Writes the configs, starts every node and waits for a meta leader. */
  static async start(options: NatsClusterOptions = {}): Promise<NatsCluster> {
    const binary = options.binary ?? findNatsServer();
    if (!binary) throw new Error('nats-server is not installed (apt-get install -y nats-server)');
    const size = options.size ?? 3;
    const ports: ClusterPorts = options.ports ?? (await freeClusterPorts(size));
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'onecard-nats-cluster-'));
    const cluster = new NatsCluster(clusterNodes(ports, dir), dir, binary, !options.dir, options);
    try {
      for (const node of cluster.nodes) {
        mkdirSync(node.storeDir, { recursive: true });
        writeFileSync(cluster.configPath(node.name), nodeConfig(node, cluster.nodes));
      }
      for (const node of cluster.nodes) cluster.spawn(node);
      await cluster.waitForMetaLeader(options.readyTimeoutMs ?? 20_000);
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** NATS_URL listing every node. */
  get url(): string {
    return clientUrl(this.nodes);
  }

  node(name: string): ClusterNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name} (nodes: ${this.nodes.map((n) => n.name).join(', ')})`);
    return node;
  }

  /** The node serving clients on `port` (what `NatsConnection.info.server_name` would say). */
  nodeOnPort(port: number): ClusterNode | undefined {
    return this.nodes.find((n) => n.clientPort === port);
  }

  isRunning(name: string): boolean {
    const node = this.running.get(name);
    return !!node && !node.done;
  }

  /** The last lines a node printed, for failure messages. */
  output(name: string): string {
    return this.tails.get(name)?.text() ?? '    (never started)';
  }

  /** SIGKILL: the node is gone at once, as a machine that lost power (no lame duck, nothing flushed). */
  async kill(name: string): Promise<void> {
    await this.signal(name, 'SIGKILL');
  }

  /** SIGTERM, SIGKILL after `graceMs`. */
  async stop(name: string, graceMs = 5000): Promise<void> {
    const node = this.running.get(name);
    if (!node || node.done) return;
    node.child.kill('SIGTERM');
    if (await Promise.race([node.exited.then(() => true), sleep(graceMs).then(() => false)])) return;
    await this.signal(name, 'SIGKILL');
  }

  /** Starts a stopped node again on its store and ports; resolves once it is back in the cluster (see waitRejoined). */
  async restart(name: string, timeoutMs = 20_000): Promise<void> {
    if (this.isRunning(name)) throw new Error(`${name} is running`);
    this.spawn(this.node(name));
    await this.waitRejoined(name, timeoutMs);
  }

  /**
   * The running nodes holding a client connection of this name (the apps name theirs after the
   * app: `campus-card`, and `campus-card-outbox-relay` for the relay thread's).
   */
  async nodesOf(connectionName: string): Promise<string[]> {
    const found: string[] = [];
    for (const node of this.nodes) {
      if (!this.isRunning(node.name)) continue;
      const connz = await this.monitor<Connz>(node, '/connz?limit=4096');
      if (connz?.connections?.some((c) => c.name === connectionName)) found.push(node.name);
    }
    return found;
  }

  /** The name of the JetStream meta leader, as a running node sees it, once there is one. */
  async waitForMetaLeader(timeoutMs = 20_000): Promise<string> {
    return this.poll(`a JetStream meta leader`, timeoutMs, async () => {
      for (const node of this.nodes) {
        if (!this.isRunning(node.name)) continue;
        const jsz = await this.monitor<Jsz>(node, '/jsz');
        if (jsz?.meta_cluster?.leader) return jsz.meta_cluster.leader;
      }
      return undefined;
    });
  }

  /**
   * Waits until the node's JetStream is in touch with the meta leader (`/healthz?js-server-only`).
   * Not the plain /healthz: on 2.9.10 a restarted node reports an idle consumer "not current" for
   * as long as nothing flows through it, so it may never answer 200. Whether its streams caught up
   * is for `streamState` (or stream info's replicas) to tell.
   */
  async waitRejoined(name: string, timeoutMs = 20_000): Promise<void> {
    const node = this.node(name);
    await this.poll(`${name} back in the cluster`, timeoutMs, async () => {
      const res = await fetch(`http://127.0.0.1:${node.httpPort}/healthz?js-server-only=true`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    });
  }

  /** The node's own copy of a stream (its /jsz): how many messages it holds, up to which sequence. */
  async streamState(name: string, stream: string): Promise<{ messages: number; last_seq: number } | undefined> {
    const jsz = await this.monitor<JszStreams>(this.node(name), '/jsz?streams=true');
    const detail = jsz?.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === stream);
    return detail && { messages: detail.state.messages, last_seq: detail.state.last_seq };
  }

  /** Stops every node (SIGKILL: nothing of theirs is kept) and removes the directory it made. */
  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.signal(name, 'SIGKILL')));
    if (this.ownDir) rmSync(this.dir, { recursive: true, force: true });
  }

  private configPath(name: string): string {
    return join(this.dir, `${name}.conf`);
  }

  private spawn(node: ClusterNode): void {
    const tail = new Tail(40);
    this.tails.set(node.name, tail);
    const args = ['-c', this.configPath(node.name)];
    // Through setpriv where there is one: the kernel then kills the node even when this process
    // is killed outright (a test runner's worker SIGKILLed), which no exit hook of ours survives.
    const child = this.setpriv ? spawn(this.setpriv, ['--pdeathsig', 'KILL', '--', this.binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    killWithParent(child);
    const entry: RunningNode = { child, done: false, exited: Promise.resolve() };
    entry.exited = new Promise<void>((resolve) => {
      const finish = () => {
        entry.done = true;
        resolve();
      };
      child.once('close', finish);
      child.once('error', (error) => {
        tail.push(`spawn failed: ${error.message}`);
        finish();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream!, crlfDelay: Infinity }).on('line', (line) => {
        tail.push(line);
        this.options.onLine?.(node.name, line);
      });
    }
    this.running.set(node.name, entry);
  }

  private async signal(name: string, signal: NodeJS.Signals): Promise<void> {
    const node = this.running.get(name);
    if (!node) return;
    if (!node.done) node.child.kill(signal);
    await node.exited;
  }

  private async monitor<T>(node: ClusterNode, path: string): Promise<T | undefined> {
    const res = await fetch(`http://127.0.0.1:${node.httpPort}${path}`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
    return res?.ok ? ((await res.json()) as T) : undefined;
  }

  private async poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      const dead = this.nodes.filter((n) => this.running.has(n.name) && !this.isRunning(n.name));
      if (Date.now() > deadline) {
        const tails = this.nodes.map((n) => `${n.name}${dead.includes(n) ? ' (exited)' : ''}:\n${this.output(n.name)}`).join('\n');
        throw new Error(`no ${what} within ${timeoutMs} ms\n${tails}`);
      }
      await sleep(100);
    }
  }
}
