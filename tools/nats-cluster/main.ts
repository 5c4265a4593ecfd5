// `npm run nats:cluster`: a three-node JetStream cluster on this machine, in the foreground, for
// running the apps on a cluster and losing a node by hand. Clients on 4241–4243, routes on
// 6241–6243, monitoring on 8241–8243 (NATS_CLUSTER_PORT_BASE moves them: base+1.., base+2001..,
// base+4001..), stores in .data/nats-cluster (kept). Commands from the terminal: kill|stop|start
// <node>, status, quit. Ctrl-C stops every node.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { portsFrom } from './cluster-config';
import { NatsCluster } from './nats-cluster';

const HELP = 'commands: kill <node> (SIGKILL), stop <node> (SIGTERM), start <node>, status, quit';

async function main(): Promise<void> {
  const base = Number(process.env.NATS_CLUSTER_PORT_BASE ?? 4240);
  if (!Number.isInteger(base) || base < 1024 || base > 65535 - 4010) throw new Error('NATS_CLUSTER_PORT_BASE must be an integer from 1024 to 61525');
  const dir = join(process.cwd(), '.data', 'nats-cluster');
  mkdirSync(dir, { recursive: true });
  const verbose = process.argv.includes('--verbose');
  const cluster = await NatsCluster.start({ dir, ports: portsFrom(base), onLine: (node, line) => verbose && console.log(`${node} │ ${line}`) });

  const status = async () => {
    const leader = await cluster.waitForMetaLeader(3000).catch(() => 'none (no quorum)');
    for (const n of cluster.nodes) console.log(`  ${n.name}  ${cluster.isRunning(n.name) ? 'running' : 'down   '}  nats://127.0.0.1:${n.clientPort}  routes :${n.clusterPort}  http://127.0.0.1:${n.httpPort}/jsz`);
    console.log(`  JetStream meta leader: ${leader}`);
  };
  console.log(`three-node JetStream cluster "onecard" up (stores in ${dir})`);
  await status();
  console.log(`\nrun the apps on it:\n  NATS_URL=${cluster.url} NATS_STREAM_REPLICAS=3 npm start`);

  let stopping = false;
  const quit = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(cluster.nodes.map((n) => cluster.stop(n.name)));
    await cluster.close();
    process.exit(0);
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);

  // Commands from a terminal only: without one (a service manager, `&`) it runs until signalled.
  if (!process.stdin.isTTY) return;
  console.log(HELP);
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, name] = line.trim().split(/\s+/);
    try {
      if (command === 'kill' || command === 'stop') {
        await cluster[command](cluster.node(name).name);
        console.log(`${name} ${command === 'kill' ? 'killed' : 'stopped'}`);
      } else if (command === 'start') {
        await cluster.restart(cluster.node(name).name);
        console.log(`${name} is back in the cluster`);
      } else if (command === 'status') await status();
      else if (command === 'quit' || command === 'exit') break;
      else if (command) console.log(HELP);
    } catch (error) {
      console.log((error as Error).message.split('\n')[0]);
    }
  }
  await quit();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
