// A local `nats-server -js` with its JetStream store under .data/nats, for when NATS_URL does
// not answer. The binary comes from PATH; on Debian/Ubuntu as root we install the distribution
// package (a dev machine the launcher may set up), elsewhere we stop with the command to run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ManagedProcess } from './managed-process';
import { probeNats, sleep } from './probe';

/** PATH plus the sbin directories Debian installs nats-server into (not on a user's PATH). */
export function findNatsServer(path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** The exact command a user should run when we may not install it ourselves. */
export function installHint(platform = process.platform, debian = existsSync('/etc/debian_version')): string {
  if (debian) return 'sudo apt-get update && sudo apt-get install -y nats-server';
  if (platform === 'darwin') return 'brew install nats-server';
  if (platform === 'win32') return 'winget install NATSAuthors.NATSServer';
  return 'go install github.com/nats-io/nats-server/v2@latest   (or a release from https://github.com/nats-io/nats-server/releases)';
}

function aptInstall(log: (line: string) => void): boolean {
  const install = () => spawnSync('apt-get', ['install', '-y', 'nats-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  log('nats-server not found: apt-get install -y nats-server');
  if (install()) return true;
  // A fresh container has empty package lists; refresh once and retry.
  log('retrying after apt-get update');
  if (spawnSync('apt-get', ['update'], { stdio: 'inherit' }).status !== 0) return false;
  return install();
}

export function ensureNatsServer(log: (line: string) => void): string {
  const found = findNatsServer();
  if (found) return found;
  const root = process.getuid?.() === 0;
  if (root && existsSync('/etc/debian_version') && aptInstall(log)) {
    const installed = findNatsServer();
    if (installed) return installed;
  }
  throw new Error(`nats-server is not installed and NATS_URL does not answer. Install it with:\n    ${installHint()}\nor point NATS_URL at a running NATS server with JetStream.`);
}

export async function startNatsServer(options: {
  binary: string;
  port: number;
  storeDir: string;
  log: (line: string) => void;
  onExit: (proc: ManagedProcess) => void;
}): Promise<{ process: ManagedProcess; startedMs: number }> {
  const started = Date.now();
  let ready = false;
  const proc = new ManagedProcess({
    name: 'nats-server',
    command: options.binary,
    args: ['-js', '-sd', options.storeDir, '-a', '127.0.0.1', '-p', String(options.port)],
    onLine: options.log,
    // Until it is up, a failure is reported by the start-up error below, not as a crash.
    onExit: () => ready && options.onExit(proc),
    // After the apps (their consumers drain through it), before Postgres.
    stop: { order: 2, signal: 'SIGTERM', graceMs: 10_000 },
  });
  const deadline = Date.now() + 15_000;
  while ((await probeNats({ host: '127.0.0.1', port: options.port }, 1000)) !== 'ok') {
    if (proc.exited) throw new Error(`nats-server ${proc.describeExit()} while starting on port ${options.port}:\n${proc.tail.text()}`);
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`nats-server did not answer on port ${options.port} within 15 s:\n${proc.tail.text()}`);
    }
    await sleep(100);
  }
  ready = true;
  return { process: proc, startedMs: Date.now() - started };
}
