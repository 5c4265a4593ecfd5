import { createHash, createHmac, randomBytes } from 'node:crypto';
import { ApduStep, blankCardFor, runBatch, VirtualCpuCard } from '@onecard/apdu';
import type { HttpResult, TestApp } from '@onecard/testing';

export const KIOSK = '/yktInfo/openCard';

export interface SignOptions {
  nonce?: string;
  timestamp?: string;
  /** Replace the computed signature. */
  signature?: string;
  /** Sign with another secret. */
  secret?: string;
  /** Headers to drop. */
  omit?: string[];
  /** Sign this body but send `send` instead (tampering). */
  send?: string;
}

export interface SentRequest {
  method: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** A kiosk as the document and DESIGN describe it: signed JSON calls. */
export class KioskClient {
  last?: SentRequest;

  constructor(
    private readonly app: Pick<TestApp, 'url'>,
    readonly machineNo: string,
    readonly secret: string,
  ) {}

  headersFor(method: string, path: string, body: string | Buffer, options: SignOptions = {}): Record<string, string> {
    const timestamp = options.timestamp ?? String(Date.now());
    const nonce = options.nonce ?? randomBytes(12).toString('hex');
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const canonical = `${method}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`;
    const signature = options.signature ?? createHmac('sha256', options.secret ?? this.secret).update(canonical).digest('hex');
    const headers: Record<string, string> = { 'x-machine-no': this.machineNo, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature };
    if (body) headers['content-type'] = 'application/json';
    for (const h of options.omit ?? []) delete headers[h];
    return headers;
  }

  /** A signed call; `body` objects are sent as JSON. */
  async call<T = any>(method: 'GET' | 'POST', path: string, body?: unknown, options: SignOptions = {}): Promise<HttpResult<T>> {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = this.headersFor(method, path, text, options);
    const sent = options.send ?? text;
    this.last = { method, path, body: sent, headers };
    return send(this.app.url, this.last);
  }

  /** Sends the last request again, byte for byte (same nonce: a replay). */
  replay<T = any>(): Promise<HttpResult<T>> {
    return send(this.app.url, this.last as SentRequest);
  }

  machineDetail(machineNo = this.machineNo, options?: SignOptions) {
    return this.call('GET', `${KIOSK}/machineDetail/${machineNo}`, undefined, options);
  }
  saveMachine(body: object, options?: SignOptions) {
    return this.call('POST', `${KIOSK}/saveMachine`, { machineNo: this.machineNo, ...body }, options);
  }
  userDetail(phoneNumber: string, pickupCode: string, options?: SignOptions) {
    return this.call('POST', `${KIOSK}/openCardUserDetail`, { phoneNumber, pickupCode, machineNo: this.machineNo }, options);
  }
  getApdu(body: object, options?: SignOptions) {
    return this.call('POST', `${KIOSK}/getOpenCardApdu`, body, options);
  }
  report(body: object, options?: SignOptions) {
    return this.call('POST', `${KIOSK}/apduExeResult`, body, options);
  }
  finish(body: object, options?: SignOptions) {
    return this.call('POST', `${KIOSK}/finish`, { machineNo: this.machineNo, ...body }, options);
  }

  /**
   * Runs a whole personalisation on `card`: getOpenCardApdu, then each batch on the card and
   * its report, until isFinished. Returns every answer body.
   */
  async personalise(card: VirtualCpuCard, orderId: string, userId: string): Promise<any[]> {
    const bodies: any[] = [];
    let res = await this.getApdu({ orderId, userId, uid: card.uid });
    bodies.push(res.body);
    expect(res.body).toMatchObject({ code: 0 });
    let batch: ApduStep[] = res.body.data.cApdus;
    for (let n = 0; n < 40; n++) {
      const r = runBatch(card, batch);
      res = await this.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId, uid: card.uid });
      bodies.push(res.body);
      expect(res.body).toMatchObject({ code: 0 });
      if (res.body.data.isFinished) return bodies;
      batch = res.body.data.cApdus;
    }
    throw new Error('personalisation did not finish');
  }
}

async function send(base: string, req: SentRequest): Promise<HttpResult> {
  const res = await fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.method === 'GET' ? undefined : req.body });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export function blankCard(uid: string, masterKeyHex: string, algorithm: '3DES' | 'SM4' = '3DES'): VirtualCpuCard {
  return blankCardFor({ uid, algorithm, projectMasterKey: Buffer.from(masterKeyHex, 'hex') });
}

export function randomUid(): string {
  return randomBytes(7).toString('hex').toUpperCase();
}
