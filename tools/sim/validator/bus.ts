// One simulated bus: a validator riding a GPS track, heartbeating, keeping its whitelist and
// QR keys up to date as the heartbeat answers say, and checking riders' cards and QR codes.
import { TransitAdmin, ValidatorDevice, wireTime } from './client';

export interface Point {
  lng: number;
  lat: number;
}

export interface Stats {
  heartbeats: number;
  fullLists: number;
  incrementalLists: number;
  checks: Record<string, number>;
  tickets: Record<string, number>;
  offlineLogs: number;
  errors: number;
}

const EARTH_M = 6_371_000;
const rad = (d: number) => (d * Math.PI) / 180;

function distanceM(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.sqrt(h));
}

function bearing(a: Point, b: Point): number {
  const y = Math.sin(rad(b.lng - a.lng)) * Math.cos(rad(b.lat));
  const x = Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) - Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lng - a.lng));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

/** Moves along a closed track of waypoints at a speed that varies like city traffic. */
export class GpsTrack {
  private leg = 0;
  private done = 0;

  constructor(private readonly points: Point[], startLeg: number) {
    this.leg = startLeg % points.length;
  }

  /** Advances `seconds` and returns position, heading and speed (km/h). */
  advance(seconds: number): Point & { course: number; speed: number } {
    const speed = 15 + Math.random() * 30;
    let metres = (speed / 3.6) * seconds;
    for (;;) {
      const from = this.points[this.leg];
      const to = this.points[(this.leg + 1) % this.points.length];
      const length = distanceM(from, to);
      if (this.done + metres < length) {
        this.done += metres;
        const f = this.done / length;
        return { lng: from.lng + (to.lng - from.lng) * f, lat: from.lat + (to.lat - from.lat) * f, course: bearing(from, to), speed };
      }
      metres -= length - this.done;
      this.done = 0;
      this.leg = (this.leg + 1) % this.points.length;
    }
  }
}

export class SimulatedBus {
  private cards = new Map<string, number>();
  private keys = 0;

  constructor(
    readonly name: string,
    readonly device: ValidatorDevice,
    private readonly track: GpsTrack,
    private readonly riders: string[],
    private readonly admin: TransitAdmin,
    private readonly stats: Stats,
    private readonly say: (line: string) => void,
  ) {}

  /** One heartbeat, and whatever downloads its answer calls for. */
  async heartbeat(intervalS: number): Promise<void> {
    const position = this.track.advance(intervalS);
    const answer = await this.device.call('/location_report', this.device.heartbeatBody(position));
    if (answer.ret_code !== 0) return this.fail('location_report', answer.ret_code, answer.ret_msg);
    this.stats.heartbeats++;
    this.say(
      `${this.name} heartbeat ${position.lat.toFixed(5)},${position.lng.toFixed(5)} ${position.speed.toFixed(0)} km/h → ` +
        `server_time ${answer.server_time}, list all=${answer.version_code_all} add=${answer.version_code_add}, qr=${answer.version_code}, window ${answer.check_start_time_format}–${String(answer.check_end_time_format).slice(11)}`,
    );
    if (answer.version_code_all !== this.device.versionAll) await this.download(1);
    else if (answer.version_code_add !== this.device.versionAdd) await this.download(2);
    if (answer.version_code !== this.device.qrVersion) await this.fetchKeys();
  }

  private async download(type: 1 | 2): Promise<void> {
    const answer = await this.device.call('/get_card_list', { type });
    if (answer.ret_code === 1301) return this.download(1);
    if (answer.ret_code !== 0) return this.fail('get_card_list', answer.ret_code, answer.ret_msg);
    const list = answer.list as Array<{ card_no: string; flag: number }>;
    if (type === 1) {
      this.cards = new Map(list.map((c) => [c.card_no, c.flag]));
      this.device.versionAll = String(answer.version);
      this.stats.fullLists++;
    } else {
      for (const c of list) this.cards.set(c.card_no, c.flag);
      this.stats.incrementalLists++;
    }
    this.device.versionAdd = String(answer.version);
    const changes = type === 2 ? `: ${list.map((c) => `${c.card_no}→${c.flag}`).join(', ')}` : '';
    this.say(`${this.name} ${type === 1 ? 'full' : 'incremental'} list v${answer.version}: ${list.length} cards in ${answer.time} ms${changes}`);
  }

  private async fetchKeys(): Promise<void> {
    const answer = await this.device.call('/get_qrcode_keys');
    if (answer.ret_code !== 0) return this.fail('get_qrcode_keys', answer.ret_code, answer.ret_msg);
    this.device.qrVersion = String(answer.version_code);
    this.keys = (answer.list as unknown[]).length;
    this.say(`${this.name} QR key group ${answer.version_code}: ${this.keys} public keys`);
  }

  /** A rider taps a card: online check, or now and then an offline tap uploaded later. */
  async tap(): Promise<void> {
    const card = this.riders[Math.floor(Math.random() * this.riders.length)];
    const local = this.cards.get(card);
    if (Math.random() < 0.2) {
      const status = local === undefined ? '1' : local === 0 ? '2' : '0';
      const answer = await this.device.call('/card_check_log', { card_id: card, time: wireTime(), status });
      if (answer.ret_code !== 0) return this.fail('card_check_log', answer.ret_code, answer.ret_msg);
      this.stats.offlineLogs++;
      this.say(`${this.name} offline tap ${card} (local list: ${status === '0' ? 'valid' : status === '1' ? 'not listed' : 'blacklisted'}) uploaded`);
      return;
    }
    const answer = await this.device.call('/card_check', { check_mode: 0, card_id: card, time: wireTime() });
    const outcome = answer.ret_code === 0 ? 'valid' : `${answer.ret_code}`;
    this.stats.checks[outcome] = (this.stats.checks[outcome] ?? 0) + 1;
    this.say(`${this.name} card ${card}: ret_code ${answer.ret_code} sound ${answer.sound_no} ${answer.ret_msg}`);
  }

  /** A rider shows a QR code issued moments ago; sometimes shows it again on this bus. */
  async scan(): Promise<void> {
    const issued = await this.admin.call('POST', '/admin/qrcode/issue', { user_id: `RIDER-${Math.floor(Math.random() * 1000)}` });
    const code = issued.qr_code as string;
    for (let attempt = 0; attempt < (Math.random() < 0.3 ? 2 : 1); attempt++) {
      const answer = await this.device.call('/ticket_check', { check_mode: 0, qr_code: code, time: wireTime(new Date(Date.now() + attempt * 1000)) });
      const outcome = answer.ret_code === 0 ? 'valid' : `${answer.ret_code}`;
      this.stats.tickets[outcome] = (this.stats.tickets[outcome] ?? 0) + 1;
      this.say(`${this.name} QR ${code.slice(0, 12)}…${attempt ? ' (shown again)' : ''}: ret_code ${answer.ret_code} ${answer.ret_msg}`);
    }
  }

  private fail(call: string, code: unknown, message: unknown): void {
    this.stats.errors++;
    this.say(`${this.name} ${call} refused: ret_code ${code} ${message}`);
  }
}
