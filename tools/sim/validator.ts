// npm run sim:validator — N buses with validators against a running transit-validation.
// TRANSIT_URL (default http://127.0.0.1:3002) plus TRANSIT_BASE_PATH if the service has one;
// ADMIN_TOKEN (the service's operator token; default: .data/dev-secrets.json from `npm start`). Options: --buses N (default 5), --seconds N
// (default 20), --interval S (heartbeat seconds, default 2). Registers its devices and cards
// under a fresh run id, prints what each bus does, and stops by itself.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { devSecrets } from './dev-secrets';
import { GpsTrack, Point, SimulatedBus, Stats } from './validator/bus';
import { TransitAdmin, ValidatorDevice } from './validator/client';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** A loop through Shenzhen's Futian district. */
const TRACK: Point[] = [
  { lng: 114.0579, lat: 22.5431 },
  { lng: 114.0683, lat: 22.5412 },
  { lng: 114.0795, lat: 22.5398 },
  { lng: 114.0851, lat: 22.5466 },
  { lng: 114.0772, lat: 22.5524 },
  { lng: 114.0645, lat: 22.5537 },
  { lng: 114.0552, lat: 22.5489 },
];

async function main(): Promise<void> {
  const buses = option('buses', 5);
  const seconds = option('seconds', 20);
  const interval = option('interval', 2);
  const url = (process.env.TRANSIT_URL ?? 'http://127.0.0.1:3002').replace(/\/$/, '');
  const base = process.env.TRANSIT_BASE_PATH ?? '';
  // After `npm start`, the dev operator token is in .data/dev-secrets.json.
  const adminToken = process.env.ADMIN_TOKEN ?? devSecrets(join(__dirname, '..', '..', '..')).ADMIN_TOKEN;
  if (!adminToken) throw new Error('ADMIN_TOKEN is required (the operator token of the running service)');
  const run = randomBytes(2).toString('hex').toUpperCase();
  const started = Date.now();
  const say = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
  const admin = new TransitAdmin(url, adminToken);

  // The operator's side: riders' cards (a few blacklisted, some bound to line 1 or 2) and the buses.
  const riders = Array.from({ length: 20 }, (_, i) => `5A${run}${String(i).padStart(4, '0')}`);
  const csv = ['card_no,flag,line_ids', ...riders.map((card, i) => `${card},${i % 7 === 6 ? 0 : 1},${i % 4 < 2 ? `SIM${run}-L${(i % 4) + 1}` : ''}`)].join('\n');
  const imported = await admin.call('POST', '/admin/cards/import', csv);
  say(`operator imported ${imported.rows} rider cards (version ${imported.version}); plus one card nobody registered: 5A${run}FFFF`);
  riders.push(`5A${run}FFFF`);

  const stats: Stats = { heartbeats: 0, fullLists: 0, incrementalLists: 0, checks: {}, tickets: {}, offlineLogs: 0, errors: 0 };
  const fleet: SimulatedBus[] = [];
  for (let n = 1; n <= buses; n++) {
    const deviceId = `SIM${run}-BUS${n}`;
    const lineId = `SIM${run}-L${((n - 1) % 2) + 1}`;
    const secret = await admin.registerDevice(deviceId, lineId);
    // Remote configuration: bus 2 only takes cards of its own line.
    if (n === 2) await admin.call('PUT', `/admin/devices/${deviceId}/config`, { is_line_white: 1 });
    const device = new ValidatorDevice(`${url}${base}`, deviceId, secret);
    await device.login();
    say(`bus ${n}: registered ${deviceId} on ${lineId}${n === 2 ? ' (line whitelist on)' : ''}, token obtained`);
    fleet.push(new SimulatedBus(`BUS${n}`, device, new GpsTrack(TRACK, n), riders, admin, stats, say));
  }

  const deadline = started + seconds * 1000;
  let frozen = false;
  const loops = fleet.map(async (bus, i) => {
    await new Promise((r) => setTimeout(r, (i * interval * 1000) / fleet.length));
    while (Date.now() < deadline) {
      const tick = Date.now();
      try {
        await bus.heartbeat(interval);
        for (let t = 0; t < 2; t++) await bus.tap();
        if (Math.random() < 0.3) await bus.scan();
      } catch (error) {
        stats.errors++;
        say(`${bus.name}: ${(error as Error).message}`);
      }
      // Halfway, campus security reports a card lost: every bus must see it in its next incremental list.
      if (!frozen && Date.now() > started + (seconds * 1000) / 2) {
        frozen = true;
        const card = riders[1];
        const changed = await admin.call('POST', '/admin/cards', { card_no: card, flag: 0 });
        say(`operator blacklisted ${card} (version ${changed.version}); buses pick it up at their next heartbeat`);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, interval * 1000 - (Date.now() - tick))));
    }
  });
  await Promise.all(loops);

  say('done');
  say(`heartbeats ${stats.heartbeats}, full lists ${stats.fullLists}, incremental lists ${stats.incrementalLists}, offline taps uploaded ${stats.offlineLogs}`);
  say(`card checks by ret_code: ${JSON.stringify(stats.checks)}; QR checks by ret_code: ${JSON.stringify(stats.tickets)}; errors ${stats.errors}`);
  const device = await admin.call('GET', `/admin/devices/SIM${run}-BUS1`);
  say(`operator view of BUS1: online=${device.online}, last seen ${device.last_seen_time} at ${device.lat},${device.lng}`);
  if (stats.errors > 0) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`sim:validator failed: ${(error as Error).message}\n`);
  process.exit(1);
});
