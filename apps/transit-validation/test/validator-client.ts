import { createHmac, randomBytes } from 'node:crypto';
import { formatWireTime } from '@onecard/platform';
import type { HttpResult, TestApp } from '@onecard/testing';

/** Shanghai wall-clock time as validators send it. */
export function wireNow(offsetMs = 0): string {
  return formatWireTime(new Date(Date.now() + offsetMs), 'yyyy-MM-dd HH:mm:ss');
}

/** A validator as the document describes it: registered by an operator, then token + calls. */
export class ValidatorClient {
  token = '';
  secret = '';

  constructor(
    private readonly app: TestApp,
    readonly deviceId: string,
    readonly lineId: string,
    readonly enterpriseId = '398',
    private readonly basePath = '',
  ) {}

  async register(): Promise<this> {
    const res = await this.app.admin('POST', '/admin/devices', { device_id: this.deviceId, enterprise_id: this.enterpriseId, line_id: this.lineId });
    if (res.body?.ret_code !== 0) throw new Error(`register ${this.deviceId}: ${res.text}`);
    this.secret = res.body.secret;
    return this;
  }

  signedTokenRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const sign = createHmac('sha256', this.secret).update(`${this.deviceId}${timestamp}${nonce}`).digest('hex');
    return { req_id: 'tok-1', device_id: this.deviceId, timestamp, nonce, sign, ...overrides };
  }

  async login(): Promise<this> {
    const res = await this.app.http('POST', `${this.basePath}/get_token`, this.signedTokenRequest());
    if (res.body?.ret_code !== 0) throw new Error(`get_token ${this.deviceId}: ${res.text}`);
    this.token = res.body.token;
    return this;
  }

  /** A validator call with this device's token and device_id. */
  call<T = any>(path: string, body: Record<string, unknown> = {}): Promise<HttpResult<T>> {
    return this.app.http('POST', `${this.basePath}${path}`, { token: this.token, device_id: this.deviceId, ...body });
  }

  heartbeat(fields: Record<string, unknown> = {}): Promise<HttpResult> {
    return this.call('/location_report', {
      req_id: 'hb',
      time: wireNow(),
      lng: '114.057868',
      lat: '22.543099',
      course: '90',
      speed: '32.5',
      check_mode: 0,
      check_card_mode: 0,
      qrcode_mode: 1,
      card_mode: 1,
      white_mode: 1,
      version_code_all: '',
      version_code_add: '',
      software_ver: 102,
      line_version_code_all: '',
      is_line_white: 0,
      ...fields,
    });
  }

  cardCheck(cardId: string, time = wireNow()): Promise<HttpResult> {
    return this.call('/card_check', { req_id: `cc-${cardId}`, check_mode: 0, card_id: cardId, time, lng: '114.05', lat: '22.54' });
  }

  ticketCheck(qrCode: string, time = wireNow(), checkMode = 0): Promise<HttpResult> {
    return this.call('/ticket_check', { req_id: 'tc', check_mode: checkMode, qr_code: qrCode, time });
  }
}

export async function rowCount(app: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await app.db.query(`SELECT count(*)::int AS n FROM (${sql}) q`, params);
  return row.n;
}
