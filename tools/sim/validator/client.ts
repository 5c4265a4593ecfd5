// HTTP clients for transit-validation as its two kinds of callers see it: the operator (/admin,
// bearer ADMIN_TOKEN) and a validator (token from /get_token, then the document's calls).
import { createHmac, randomBytes } from 'node:crypto';

export interface Answer {
  req_id?: string;
  ret_code: number;
  ret_msg: string;
  [field: string]: unknown;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as Answer;
  } catch {
    throw new Error(`${method} ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

/** Shanghai wall-clock time, `yyyy-MM-dd HH:mm:ss`, as validators send it. */
export function wireTime(date = new Date()): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export class TransitAdmin {
  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const answer = await post(`${this.baseUrl}${path}`, body, { authorization: `Bearer ${this.adminToken}` }, method);
    if (answer.ret_code !== 0) throw new Error(`${method} ${path}: ret_code ${answer.ret_code} ${answer.ret_msg}`);
    return answer;
  }

  async registerDevice(deviceId: string, lineId: string, enterpriseId = '398'): Promise<string> {
    const answer = await this.call('POST', '/admin/devices', { device_id: deviceId, enterprise_id: enterpriseId, line_id: lineId });
    return answer.secret as string;
  }
}

export class ValidatorDevice {
  token = '';
  versionAll = '';
  versionAdd = '';
  lineVersion = '';
  qrVersion = '';

  constructor(
    /** Service URL including TRANSIT_BASE_PATH. */
    readonly baseUrl: string,
    readonly deviceId: string,
    private readonly secret: string,
  ) {}

  /** /get_token: sign = hex HMAC-SHA256(secret, device_id + timestamp + nonce). */
  async login(): Promise<void> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const sign = createHmac('sha256', this.secret).update(`${this.deviceId}${timestamp}${nonce}`).digest('hex');
    const answer = await post(`${this.baseUrl}/get_token`, { device_id: this.deviceId, timestamp, nonce, sign });
    if (answer.ret_code !== 0) throw new Error(`get_token ${this.deviceId}: ${answer.ret_code} ${answer.ret_msg}`);
    this.token = answer.token as string;
  }

  call(path: string, body: Record<string, unknown> = {}): Promise<Answer> {
    return post(`${this.baseUrl}${path}`, { req_id: randomBytes(4).toString('hex'), token: this.token, device_id: this.deviceId, ...body });
  }

  heartbeatBody(position: { lng: number; lat: number; course: number; speed: number } = { lng: 114.0579, lat: 22.5431, course: 0, speed: 0 }): Record<string, unknown> {
    return {
      time: wireTime(),
      lng: position.lng.toFixed(6),
      lat: position.lat.toFixed(6),
      course: position.course.toFixed(0),
      speed: position.speed.toFixed(1),
      check_mode: 0,
      check_card_mode: 0,
      qrcode_mode: 1,
      card_mode: 1,
      white_mode: 1,
      version_code_all: this.versionAll,
      version_code_add: this.versionAdd,
      software_ver: 102,
      line_version_code_all: this.lineVersion,
      is_line_white: 0,
    };
  }
}
