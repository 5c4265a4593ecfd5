// The configuration files of a local JetStream cluster: one per node, each listing every node's
// route, so any node started (or restarted) alone finds the others.
import { join } from 'node:path';

export const CLUSTER_NAME = 'onecard';

export interface ClusterNode {
  /** server_name: n1, n2, n3 (what stream info names as leader and replicas). */
  name: string;
  /** Where clients connect. */
  clientPort: number;
  /** Where the other nodes' routes connect. */
  clusterPort: number;
  /** Monitoring (/healthz, /jsz). */
  httpPort: number;
  /** The node's JetStream store (nats-server adds a `jetstream` directory under it), kept across a kill and restart. */
  storeDir: string;
}

export interface ClusterPorts {
  client: number[];
  cluster: number[];
  http: number[];
}

/** Fixed ports from a base: clients on base+1.., routes on base+2001.., monitoring on base+4001.. (4240 → 4241–4243, 6241–6243, 8241–8243). */
export function portsFrom(base: number, size = 3): ClusterPorts {
  const range = (offset: number) => Array.from({ length: size }, (_, i) => base + offset + i + 1);
  return { client: range(0), cluster: range(2000), http: range(4000) };
}

export function clusterNodes(ports: ClusterPorts, dir: string): ClusterNode[] {
  return ports.client.map((clientPort, i) => ({
    name: `n${i + 1}`,
    clientPort,
    clusterPort: ports.cluster[i],
    httpPort: ports.http[i],
    storeDir: join(dir, `n${i + 1}`),
  }));
}

/** NATS_URL for an app: every node, comma-separated. */
export function clientUrl(nodes: readonly ClusterNode[], host = '127.0.0.1'): string {
  return nodes.map((n) => `nats://${host}:${n.clientPort}`).join(',');
}

const quoted = (text: string) => JSON.stringify(text);

/** nats-server's configuration for `node` (loopback only: this cluster is for one machine). */
export function nodeConfig(node: ClusterNode, nodes: readonly ClusterNode[], host = '127.0.0.1'): string {
  const routes = nodes.filter((n) => n !== node).map((n) => `    ${quoted(`nats-route://${host}:${n.clusterPort}`)}`);
  return [
    `server_name: ${quoted(node.name)}`,
    `listen: ${quoted(`${host}:${node.clientPort}`)}`,
    `http: ${quoted(`${host}:${node.httpPort}`)}`,
    'jetstream {',
    `  store_dir: ${quoted(node.storeDir)}`,
    // Bounded so three nodes on one machine do not each claim most of its memory and disk.
    '  max_memory_store: 256MB',
    '  max_file_store: 2GB',
    '}',
    'cluster {',
    `  name: ${quoted(CLUSTER_NAME)}`,
    `  listen: ${quoted(`${host}:${node.clusterPort}`)}`,
    '  routes: [',
    ...routes,
    '  ]',
    '}',
    '',
  ].join('\n');
}
