import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

/** The kiosk document's path prefix. */
export const KIOSK_PATH = '/yktInfo/openCard';

export interface WireResult<T = any> {
  status: number;
  text: string;
  body: T;
  /** Round trip, ms (request written → response fully read). */
  ms: number;
}

/** The signature card-issuance verifies (DESIGN "Authentication"; libs/platform/src/security/device-signature.ts, under the headers of apps/card-issuance/src/kiosk-auth/kiosk-signature.ts). */
export function signKiosk(secret: string, method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret).update(`${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${bodyHash}`).digest('hex');
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** A small keep-alive HTTP/1.1 client over node:http (less overhead than fetch under load). */
export function httpCall(base: string, method: string, path: string, body: string, headers: Record<string, string>): Promise<WireResult> {
  const url = new URL(path, base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: body ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, body: parsed, ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A kiosk: every call signed with its machine number and secret. */
export class SignedKiosk {
  constructor(
    readonly baseUrl: string,
    readonly machineNo: string,
    private readonly secret: string,
  ) {}

  call<T = any>(method: 'GET' | 'POST', path: string, payload?: object): Promise<WireResult<T>> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const timestamp = String(Date.now());
    const nonce = randomBytes(12).toString('base64url');
    const headers: Record<string, string> = {
      'x-machine-no': this.machineNo,
      'x-timestamp': timestamp,
      'x-nonce': nonce,
      'x-signature': signKiosk(this.secret, method, path, timestamp, nonce, body),
    };
    if (body) headers['content-type'] = 'application/json';
    return httpCall(this.baseUrl, method, path, body, headers);
  }

  machineDetail() {
    return this.call('GET', `${KIOSK_PATH}/machineDetail/${encodeURIComponent(this.machineNo)}`);
  }
  saveMachine(stock: { cardCount: string; inkCount: string; cardRopeCover: string }) {
    return this.call('POST', `${KIOSK_PATH}/saveMachine`, { machineNo: this.machineNo, ...stock });
  }
  openCardUserDetail(phoneNumber: string, pickupCode: string) {
    return this.call('POST', `${KIOSK_PATH}/openCardUserDetail`, { phoneNumber, pickupCode, machineNo: this.machineNo });
  }
  getOpenCardApdu(orderId: string, userId: string, uid: string) {
    return this.call('POST', `${KIOSK_PATH}/getOpenCardApdu`, { orderId, userId, uid });
  }
  apduExeResult(report: { apduIndex: string; rapdu: string; result: '0x00' | '0x01'; userId: string; uid: string }) {
    return this.call('POST', `${KIOSK_PATH}/apduExeResult`, report);
  }
  finish(orderId: string, userId: string, uid: string) {
    return this.call('POST', `${KIOSK_PATH}/finish`, { orderId, userId, uid, machineNo: this.machineNo });
  }
}

/** An /admin call with the operator token. */
export function adminCall<T = any>(baseUrl: string, token: string, method: string, path: string, payload?: object): Promise<WireResult<T>> {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body) headers['content-type'] = 'application/json';
  return httpCall(baseUrl, method, path, body, headers);
}

/** Closes idle keep-alive sockets so the process can exit. */
export function closeConnections(): void {
  agent.destroy();
}
