// The transit benchmark's data and what it asks the service: the seeded whitelist, the validators,
// the request bodies the loads cycle through, and when the service has finished writing.
import { TransitAdmin, ValidatorDevice } from '../../sim/validator/client';
import { BenchTarget, LoadRequest, Proc, withClient } from '../common';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seeded card numbers: 8 upper-case hex digits. */
export const cardNo = (i: number) => i.toString(16).toUpperCase().padStart(8, '0');

export interface Transit {
  service: Proc;
  target: BenchTarget;
  admin: TransitAdmin;
  devices: ValidatorDevice[];
  cards: number;
  /** The whitelist version the seed wrote. */
  version: number;
}

/** `count` validators registered (lines L1 and L2 in turn) and logged in. */
export async function registerDevices(admin: TransitAdmin, url: string, count: number): Promise<ValidatorDevice[]> {
  const devices: ValidatorDevice[] = [];
  for (let i = 0; i < count; i++) {
    const id = `BENCH-${String(i).padStart(4, '0')}`;
    const device = new ValidatorDevice(url, id, await admin.registerDevice(id, i % 2 ? 'L1' : 'L2'));
    await device.login();
    devices.push(device);
  }
  return devices;
}

/** The whitelist: `cards` cards in ONE `INSERT … SELECT generate_series` at one version; the service is told to reload. */
export async function seedCards(target: BenchTarget, cards: number): Promise<number> {
  return withClient(target.schemaUrl, async (client) => {
    const { rows: [{ v }] } = await client.query(`SELECT nextval('whitelist_version_seq')::bigint AS v`);
    await client.query(
      `INSERT INTO whitelist_card (card_no, flag, line_ids, version, source)
       SELECT lpad(upper(to_hex(i)), 8, '0'), CASE WHEN i % 50 = 0 THEN 0 ELSE 1 END,
              CASE WHEN i % 10 = 0 THEN ARRAY['L1'] ELSE '{}'::text[] END, $1, 'bench'
         FROM generate_series(1, $2::int) AS i`,
      [v, cards],
    );
    await client.query(`INSERT INTO line_version (line_id, version) VALUES ('L1', $1) ON CONFLICT (line_id) DO UPDATE SET version = EXCLUDED.version`, [v]);
    await client.query(`ANALYZE whitelist_card`);
    await client.query(`SELECT pg_notify($1, 'whitelist:')`, [target.schema]);
    return Number(v);
  });
}

/** 1,000 taps over the devices, one card in ten unknown; each send a new tap (its time a second later). */
export function cardCheckRequests(devices: ValidatorDevice[], cards: number): LoadRequest[] {
  return Array.from({ length: 1000 }, (_, i) => {
    const device = devices[i % devices.length];
    const card = i % 10 === 9 ? `F${cardNo(i).slice(1)}` : cardNo(1 + ((i * 7919) % cards));
    const body = { req_id: `r${i}`, token: device.token, device_id: device.deviceId, check_mode: 0, card_id: card, time: '{{time}}', lng: '114.05', lat: '22.54' };
    return { path: '/card_check', body: JSON.stringify(body) };
  });
}

/** One heartbeat per device, its time a second later at each send (device ids prefixed for the baseline's rows). */
export function heartbeatRequests(devices: ValidatorDevice[], prefix = ''): LoadRequest[] {
  return devices.map((device, i) => {
    const body = device.heartbeatBody({ lng: 114 + i / 1000, lat: 22.5 + i / 1000, course: i % 360, speed: 30 });
    return { path: '/location_report', body: JSON.stringify({ req_id: `h${i}`, token: device.token, device_id: `${prefix}${device.deviceId}`, ...body, time: '{{time}}' }) };
  });
}

export async function countRows(target: BenchTarget, sql: string, params: unknown[] = []): Promise<number> {
  return withClient(target.schemaUrl, async (client) => Number((await client.query(sql, params)).rows[0].n));
}

/** Rows are written in batches after the answers: the count once it stops moving. */
export async function settledCount(count: () => Promise<number>): Promise<number> {
  let stored = -1;
  for (let seen = await count(); seen !== stored; seen = await count()) {
    stored = seen;
    await sleep(300);
  }
  return stored;
}

/** Waits until the outbox relay has published everything, so one slice's events do not load the next. */
export async function drainOutbox(t: Transit): Promise<void> {
  const started = Date.now();
  // `total`: outbox rows still waiting (a row holds one event or a batch); none waiting is drained.
  while (Number((await t.admin.call('GET', '/admin/outbox?limit=1')).total) > 0 && Date.now() - started < 180_000) await sleep(200);
}

/** Waits until every answered heartbeat is written (the service's gauge of pending ones). */
export async function drainHeartbeats(t: Transit): Promise<void> {
  const started = Date.now();
  const pending = async () => Number(/transit_heartbeats_pending\{[^}]*\} (\d+)/.exec(await (await fetch(`${t.service.url}/metrics`)).text())?.[1] ?? -1);
  while ((await pending()) !== 0 && Date.now() - started < 30_000) await sleep(50);
}
