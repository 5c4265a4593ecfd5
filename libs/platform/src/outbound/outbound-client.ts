import { Logger } from '@nestjs/common';
import {
  ExponentialBackoff,
  handleWhen,
  IBackoff,
  IBackoffFactory,
  IRetryBackoffContext,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import type { Counter, Histogram } from 'prom-client';
import { Agent, request as undiciRequest } from 'undici';
import { OutboundClientOptions, OutboundFailure, OutboundHttpError, OutboundRequest, OutboundResponse, SignableRequest } from './outbound-types';
import { retryAfterMs } from './retry-after';

/** Connection failures worth another attempt (the request may or may not have reached the server). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/** An attempt that failed without an answer; `retryable` says whether another may help. */
class AttemptFailed extends Error {
  constructor(readonly reason: OutboundFailure, readonly retryable: boolean, cause: unknown) {
    super(reason, { cause });
  }
}

export interface OutboundMetrics {
  requests: Counter<'client' | 'outcome'>;
  duration: Histogram<'client'>;
}

type Outcome = 'ok' | 'client_error' | 'throttled' | 'server_error' | 'refused_by_caller' | 'timeout' | 'network_error';

/**
 * Wraps cockatiel's exponential backoff (decorrelated jitter) so that an answer carrying
 * Retry-After waits that long instead.
 */
class HonourRetryAfter implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly backoff: IBackoffFactory<IRetryBackoffContext<unknown>>) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const next = this.backoff.next(context);
    const asked = 'value' in context.result ? retryAfterMs((context.result.value as OutboundResponse).headers['retry-after']) : undefined;
    return { duration: asked ?? next.duration, next: (c) => new HonourRetryAfter(next).next(c) };
  }
}

function queryString(query: OutboundRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function encodeBody(request: OutboundRequest): { body: Buffer | undefined; contentType?: string } {
  if (request.json !== undefined) return { body: Buffer.from(JSON.stringify(request.json)), contentType: 'application/json' };
  if (request.form !== undefined) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.form)) if (value !== undefined) params.append(key, String(value));
    return { body: Buffer.from(params.toString()), contentType: 'application/x-www-form-urlencoded' };
  }
  if (request.body !== undefined) return { body: typeof request.body === 'string' ? Buffer.from(request.body) : request.body };
  return { body: undefined };
}

/** A request's own absolute URL (http or https only). */
function absolute(url: string, client: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${client}: not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${client}: only http and https URLs`);
  return parsed;
}

function outcomeOf(status: number, refusedByCaller: boolean): Outcome {
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server_error';
  if (refusedByCaller) return 'refused_by_caller';
  return status >= 400 ? 'client_error' : 'ok';
}

/**
 * One remote API: timeouts per attempt, retries with backoff (cockatiel), a signature per
 * attempt, metrics. Made by `OutboundHttp.client(name, options)`.
 *
 * Network errors, timeouts, 5xx and 429 are retried (so are answers `retryOn` refuses); other
 * 4xx are returned at once. After the last attempt an answer is returned as it is (a 503
 * included); no answer at all throws OutboundHttpError. A request is sent again after a network
 * error or a timeout even if the server may have acted on it: the remote operation must be
 * idempotent (or the client made with `retry: { maxAttempts: 1 }`). Logs name the client, the
 * method and the path without its query; never a body or a header.
 */
export class OutboundClient {
  private readonly logger = new Logger('outbound');
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxDelayMs: number;
  private readonly policy;

  constructor(
    readonly name: string,
    private readonly options: OutboundClientOptions,
    private readonly metrics: OutboundMetrics,
  ) {
    this.base = new URL(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 3);
    this.maxDelayMs = options.retry?.maxDelayMs ?? 5_000;
    this.agent = new Agent({ connect: { timeout: this.timeoutMs }, maxResponseSize: options.maxResponseBytes ?? 16 * 1024 * 1024 });
    const retryable = handleWhen((error) => error instanceof TaskCancelledError || (error instanceof AttemptFailed && error.retryable)).orWhenResult((result) =>
      this.shouldRetry(result as OutboundResponse),
    );
    const backoff = new HonourRetryAfter(new ExponentialBackoff({ initialDelay: options.retry?.baseDelayMs ?? 200, maxDelay: this.maxDelayMs }));
    // abortOnReturn off: an attempt that returned has read its whole answer, and aborting its
    // signal anyway made a DOMException (with its stack) per request, a few % of a busy sender's CPU.
    this.policy = wrap(retry(retryable, { maxAttempts: this.maxAttempts - 1, backoff }), timeout(this.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }));
  }

  async request(request: OutboundRequest): Promise<OutboundResponse> {
    const target = request.url === undefined ? undefined : absolute(request.url, this.name);
    const pathWithQuery = target ? `${target.pathname}${target.search}` : `${this.base.pathname.replace(/\/$/, '')}${request.path}${queryString(request.query)}`;
    const url = target ? target.toString() : new URL(pathWithQuery, this.base).toString();
    const { body, contentType } = encodeBody(request);
    const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}), ...request.headers };
    const where = `${request.method} ${target ? target.pathname : `${this.base.pathname.replace(/\/$/, '')}${request.path}`}`;
    let attempts = 0;
    try {
      return await this.policy.execute(async ({ signal }) => {
        attempts++;
        return this.attempt({ method: request.method, url, pathWithQuery, headers, body, attempt: attempts }, signal, where);
      });
    } catch (error) {
      const reason: OutboundFailure = error instanceof TaskCancelledError ? 'timeout' : error instanceof AttemptFailed ? error.reason : 'network';
      if (!(error instanceof TaskCancelledError || error instanceof AttemptFailed)) throw error; // the signer's or the caller's own failure
      const what = reason === 'timeout' ? `timed out after ${this.timeoutMs} ms` : reason === 'response_too_large' ? 'answer too large' : 'network error';
      const message = `${this.name}: ${where}: ${what} (${attempts} attempt${attempts === 1 ? '' : 's'})`;
      this.logger.warn(message);
      throw new OutboundHttpError(this.name, reason, message, attempts, { cause: error instanceof AttemptFailed ? error.cause : error });
    }
  }

  /** Closes the client's connections. */
  close(): Promise<void> {
    return this.agent.close();
  }

  private shouldRetry(response: OutboundResponse): boolean {
    const wanted = response.status >= 500 || response.status === 429 || this.refusedByCaller(response);
    if (!wanted) return false;
    const asked = retryAfterMs(response.headers['retry-after']);
    return asked === undefined || asked <= this.maxDelayMs;
  }

  private refusedByCaller(response: OutboundResponse): boolean {
    return response.status < 400 && this.options.retryOn !== undefined && this.options.retryOn(response);
  }

  private async attempt(request: SignableRequest, signal: AbortSignal, where: string): Promise<OutboundResponse> {
    const signed = this.options.sign ? { ...request.headers, ...(await this.options.sign(request)) } : request.headers;
    const started = performance.now();
    const record = (outcome: Outcome) => {
      this.metrics.requests.inc({ client: this.name, outcome });
      this.metrics.duration.observe({ client: this.name }, (performance.now() - started) / 1000);
    };
    let response: OutboundResponse;
    try {
      const answer = await undiciRequest(request.url, { method: request.method, headers: signed, body: request.body, signal, dispatcher: this.agent });
      const bytes = Buffer.from(await answer.body.arrayBuffer());
      const text = bytes.toString('utf8');
      response = { status: answer.statusCode, headers: answer.headers, text, bytes, json: () => this.parse(text, where) };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (signal.aborted) {
        record('timeout');
        this.noteRetry(where, `no answer within ${this.timeoutMs} ms`, request.attempt);
        throw new AttemptFailed('timeout', true, error);
      }
      if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
        record('network_error');
        throw new AttemptFailed('response_too_large', false, error);
      }
      record(code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'network_error');
      if (!NETWORK_CODES.has(code)) throw new AttemptFailed('network', false, error);
      this.noteRetry(where, `network error (${code})`, request.attempt);
      throw new AttemptFailed('network', true, error);
    }
    const refused = this.refusedByCaller(response);
    record(outcomeOf(response.status, refused));
    if (this.shouldRetry(response)) this.noteRetry(where, `HTTP ${response.status}`, request.attempt);
    return response;
  }

  private noteRetry(where: string, what: string, attempt: number): void {
    if (attempt < this.maxAttempts) this.logger.warn(`${this.name}: ${where}: ${what} on attempt ${attempt} of ${this.maxAttempts}, retrying`);
  }

  private parse<T>(text: string, where: string): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      // JSON.parse's message quotes the body; the body never goes into an error or a log.
      throw new OutboundHttpError(this.name, 'invalid_json', `${this.name}: ${where}: the answer is not JSON (${text.length} characters)`, 1);
    }
  }
}
