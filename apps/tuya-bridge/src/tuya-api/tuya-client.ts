import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboundClient, OutboundHttp, OutboundHttpError, OutboundRequest, OutboundResponse, SignableRequest } from '@onecard/platform';
import { TuyaBridgeConfig } from '../config';
import { TuyaTokenAnswer } from './dto/tuya-answers.dto';
import { PgTokenStore } from './pg-token-store';
import { readAnswer } from './read-answer';
import { TuyaMalformedAnswer, TuyaNotConfigured, TuyaRefused, TuyaUnavailable } from './tuya-api.errors';
import { signTuyaRequest } from './tuya-signature';
import { TuyaToken, TuyaTokens } from './tuya-tokens';

/** Tuya's answer envelope. */
interface TuyaAnswer {
  success: boolean;
  result?: unknown;
  code?: number;
  msg?: string;
}

/** token is expired, token invalid, token status is invalid: renew once and send again. */
const TOKEN_REFUSALS = new Set([1010, 1011, 1012]);
/** Refusals that are Tuya being busy, retried like a 5xx: system error, concurrent requests over limit, system busy, too frequent. */
const BUSY_REFUSALS = new Set([500, 1110, 1111, 1199]);

const FAILURES: Record<OutboundHttpError['reason'], string> = {
  timeout: 'no answer in time',
  network: 'network error',
  response_too_large: 'answer too large',
  invalid_json: 'answer not JSON',
};

function refusalCode(response: OutboundResponse): number | undefined {
  if (!response.text.includes('"success":false')) return undefined;
  try {
    const code = (JSON.parse(response.text) as TuyaAnswer).code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

export interface TuyaCall {
  method: OutboundRequest['method'];
  path: string;
  query?: OutboundRequest['query'];
  json?: unknown;
  /** Names the call in errors: `GET personnel-cards`. */
  name: string;
}

/**
 * Tuya's OpenAPI over the platform's OutboundHttp (the `tuya` client: timeouts, retries with
 * jittered backoff on network errors, timeouts, 5xx, 429 and Tuya's "busy" refusals, metrics).
 * Every attempt is signed afresh (t, nonce) by `sign`; business calls carry the shared access
 * token (TuyaTokens), renewed and sent again once when Tuya calls it invalid. The client secret
 * stays in this class: it is never logged, and OutboundHttp logs no header or body.
 */
@Injectable()
export class TuyaClient {
  private readonly http: OutboundClient | undefined;
  private readonly tokens: TuyaTokens | undefined;
  /** Calls made (attempts excluded), for the sync's figures. */
  calls = 0;

  constructor(
    private readonly config: TuyaBridgeConfig,
    outbound: OutboundHttp,
    db: DataSource,
  ) {
    if (!config.tuyaConfigured) return;
    const clientId = config.TUYA_CLIENT_ID as string;
    const secret = config.TUYA_CLIENT_SECRET as string;
    this.http = outbound.client('tuya', {
      baseUrl: config.TUYA_ENDPOINT,
      timeoutMs: config.TUYA_TIMEOUT_MS,
      retry: { maxAttempts: config.TUYA_MAX_ATTEMPTS },
      sign: (request) => this.sign(request, clientId, secret),
      retryOn: (response) => BUSY_REFUSALS.has(refusalCode(response) ?? 0),
    });
    this.tokens = new TuyaTokens({ issue: () => this.issueToken() }, new PgTokenStore(db, clientId, secret));
  }

  get configured(): boolean {
    return this.http !== undefined;
  }

  /** A business call's `result`; throws TuyaUnavailable, TuyaRefused or TuyaMalformedAnswer. */
  async call(call: TuyaCall): Promise<unknown> {
    if (!this.tokens) throw new TuyaNotConfigured();
    const token = await this.tokens.accessToken();
    let answer = await this.send(call, token);
    if (!answer.success && TOKEN_REFUSALS.has(answer.code ?? 0)) answer = await this.send(call, await this.tokens.rejected(token));
    if (!answer.success) throw new TuyaRefused(answer.code ?? 0, answer.msg ?? '', call.name);
    return answer.result;
  }

  private async issueToken(): Promise<TuyaToken> {
    const name = 'GET token';
    const answer = await this.send({ method: 'GET', path: '/v1.0/token', query: { grant_type: 1 }, name });
    if (!answer.success) throw new TuyaRefused(answer.code ?? 0, answer.msg ?? '', name);
    const token = readAnswer(TuyaTokenAnswer, answer.result, name);
    const now = Date.now();
    return { accessToken: token.accessToken, obtainedAt: now, expiresAt: now + token.expireTime * 1000 };
  }

  private async send(call: TuyaCall, accessToken?: string): Promise<TuyaAnswer> {
    const http = this.http;
    if (!http) throw new TuyaNotConfigured();
    this.calls++;
    let response: OutboundResponse;
    try {
      response = await http.request({ method: call.method, path: call.path, query: call.query, json: call.json, headers: accessToken ? { access_token: accessToken } : {} });
    } catch (error) {
      if (error instanceof OutboundHttpError) throw new TuyaUnavailable(`${call.name}: ${FAILURES[error.reason]} (${error.attempts} attempt${error.attempts === 1 ? '' : 's'})`);
      throw error;
    }
    if (response.status !== 200) throw new TuyaUnavailable(`${call.name}: HTTP ${response.status}${response.status >= 500 || response.status === 429 ? ` after ${this.config.TUYA_MAX_ATTEMPTS} attempts` : ''}`);
    let answer: TuyaAnswer;
    try {
      answer = response.json<TuyaAnswer>();
    } catch {
      throw new TuyaMalformedAnswer(`${call.name}: the answer is not JSON`);
    }
    if (answer === null || typeof answer !== 'object' || typeof answer.success !== 'boolean') throw new TuyaMalformedAnswer(`${call.name}: no success field`);
    if (!answer.success && BUSY_REFUSALS.has(answer.code ?? 0)) throw new TuyaUnavailable(`${call.name}: Tuya busy (${answer.code} ${answer.msg ?? ''}) after ${this.config.TUYA_MAX_ATTEMPTS} attempts`);
    return answer;
  }

  private sign(request: SignableRequest, clientId: string, secret: string): Record<string, string> {
    const accessToken = request.headers.access_token;
    const signed = signTuyaRequest({
      clientId,
      secret,
      accessToken: accessToken || undefined,
      t: String(Date.now()),
      nonce: randomUUID(),
      method: request.method,
      pathWithQuery: request.pathWithQuery,
      body: request.body,
    });
    return { ...signed };
  }
}
