// The benchmark's data: the seeded whitelist and the request bodies the loads cycle through.
import { ValidatorDevice, wireTime } from '../../sim/validator/client';
import { LoadRequest } from './load';
import type { TapTemplate } from './wrk';
import { withClient } from './processes';

/** Seeded card numbers: 8 upper-case hex digits. */
export const cardNo = (i: number) => i.toString(16).toUpperCase().padStart(8, '0');

/** The benchmark's whitelist: `cards` cards in ONE `INSERT … SELECT generate_series`, one version. */
export async function seedCards(schemaUrl: string, schema: string, cards: number): Promise<number> {
  return withClient(schemaUrl, async (client) => {
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
    await client.query(`SELECT pg_notify($1, 'whitelist:')`, [schema]);
    return Number(v);
  });
}

/** 1,000 card_check bodies over the devices: 90 % cards on the list, 10 % unknown ones. */
/** Seconds of device time each load of taps reserves (200 sends per pair ≈ 20,000 req/s for 10 s, with room). */
const TAP_SECONDS_PER_LOAD = 1000;
let loads = 0;

/** Where the next load's device times start (unix s): two hours ago, a fresh stretch per call. */
export function nextTapStart(): number {
  return Math.floor(Date.now() / 1000) - 2 * 3600 + TAP_SECONDS_PER_LOAD * loads++;
}

/** 1,000 device/card pairs (one in ten cards unknown), each body split around its `time`. */
export function cardCheckTemplates(devices: ValidatorDevice[], cards: number): TapTemplate[] {
  const out: TapTemplate[] = [];
  for (let i = 0; i < 1000; i++) {
    const device = devices[i % devices.length];
    const card = i % 10 === 9 ? `F${cardNo(i).slice(1)}` : cardNo(1 + ((i * 7919) % cards));
    const [head, tail] = JSON.stringify({ req_id: `r${i}`, token: device.token, device_id: device.deviceId, check_mode: 0, card_id: card, time: '@', lng: '114.05', lat: '22.54' }).split('"@"');
    out.push({ head, tail });
  }
  return out;
}

/**
 * The same taps for autocannon (when wrk is missing): each time a pair's request is sent its
 * device time is one second later (setupRequest rebuilds it), so none is a retry of another and
 * every one is stored and published.
 */
export function cardCheckRequests(templates: TapTemplate[], startUnixS: number): LoadRequest[] {
  const times = new Map<number, string>();
  const timeAt = (second: number) => {
    let text = times.get(second);
    if (text === undefined) times.set(second, (text = wireTime(new Date((startUnixS + second) * 1000))));
    return text;
  };
  return templates.map(({ head, tail }) => {
    let sent = 0;
    const body = () => `${head}"${timeAt(sent++)}"${tail}`;
    return { path: '/card_check', body: body(), nextBody: body };
  });
}

/** One heartbeat body per device (device ids prefixed for the baseline's rows). */
export function heartbeatRequests(devices: ValidatorDevice[], prefix = ''): LoadRequest[] {
  return devices.map((device, i) => {
    const body = device.heartbeatBody({ lng: 114 + i / 1000, lat: 22.5 + i / 1000, course: i % 360, speed: 30 });
    return { path: '/location_report', body: JSON.stringify({ req_id: `h${i}`, token: device.token, device_id: `${prefix}${device.deviceId}`, ...body }) };
  });
}

export async function countHeartbeats(schemaUrl: string, prefix: string): Promise<number> {
  return withClient(schemaUrl, async (client) => {
    const { rows: [{ n }] } = await client.query(`SELECT count(*)::int AS n FROM location_report WHERE device_id LIKE $1`, [`${prefix}%`]);
    return n;
  });
}

/** The same heartbeats for wrk: each body split around its `time` (moved on a second per send). */
export function heartbeatTemplates(devices: ValidatorDevice[], prefix = ''): TapTemplate[] {
  return heartbeatRequests(devices, prefix).map((request) => {
    const body = JSON.parse(request.body) as Record<string, unknown>;
    const [head, tail] = JSON.stringify({ ...body, time: '@' }).split('"@"');
    return { head, tail };
  });
}

/** Heartbeats the service answered and has not written yet (its Prometheus gauge). */
export async function pendingHeartbeats(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /transit_heartbeats_pending\{[^}]*\} (\d+)/.exec(text);
  return m ? Number(m[1]) : -1;
}
