import { AppName } from '@onecard/contracts';
import { OutboundClient, OutboundHttp, OutboundHttpError } from '@onecard/platform';
import { ConsoleError, ConsoleErrorCode } from '../http/console-error';
import { unwrap } from './envelopes';

export type Query = Record<string, string | number | boolean | undefined>;

/** An offset page, `{total, limit, offset, items}` (docs/ADMIN-API.md). */
export interface OffsetPage<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/**
 * One app's /admin API, as an operator calls it with ADMIN_TOKEN. Answers come back without
 * the app's envelope; failures are ConsoleErrors whose message names the app and what it said,
 * never the token, a URL or a stack.
 */
export class AdminClient {
  private readonly reads: OutboundClient;
  private readonly actions: OutboundClient;

  constructor(
    readonly app: AppName,
    baseUrl: string,
    private readonly adminToken: string,
    outbound: OutboundHttp,
    timeoutMs: number,
  ) {
    // Reads may be tried twice; actions (a replay) once: the app may have acted on a call that timed out.
    this.reads = outbound.client(`${app}-admin-read`, { baseUrl, timeoutMs, retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 500 } });
    this.actions = outbound.client(`${app}-admin-action`, { baseUrl, timeoutMs, retry: { maxAttempts: 1 } });
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.call<T>(this.reads, 'GET', path, query);
  }

  post<T>(path: string, json?: unknown): Promise<T> {
    return this.call<T>(this.actions, 'POST', path, {}, json);
  }

  /** Every item of an offset list, page by page (1,000 a page, at most `maxPages`). */
  async all<T>(path: string, query: Query, maxPages: number): Promise<T[]> {
    const items: T[] = [];
    for (let page = 0; page < maxPages; page++) {
      const answer = await this.get<OffsetPage<T>>(path, { ...query, limit: 1000, offset: items.length });
      if (!Array.isArray(answer?.items) || typeof answer.total !== 'number') throw new ConsoleError(ConsoleErrorCode.UPSTREAM_INVALID, `${this.app}: ${path} did not answer a page`);
      items.push(...answer.items);
      if (answer.items.length === 0 || items.length >= answer.total) return items;
    }
    return items;
  }

  private async call<T>(client: OutboundClient, method: 'GET' | 'POST', path: string, query: Query, json?: unknown): Promise<T> {
    let status: number;
    let body: unknown;
    try {
      const answer = await client.request({ method, path, query, json, headers: { authorization: `Bearer ${this.adminToken}` } });
      status = answer.status;
      body = answer.json();
    } catch (error) {
      if (error instanceof OutboundHttpError) {
        const why = error.reason === 'timeout' ? 'timed out' : error.reason === 'invalid_json' ? 'answered something other than JSON' : 'did not answer';
        const code = error.reason === 'invalid_json' ? ConsoleErrorCode.UPSTREAM_INVALID : ConsoleErrorCode.UPSTREAM_UNAVAILABLE;
        throw new ConsoleError(code, `${this.app} ${why}`);
      }
      throw error;
    }
    const unwrapped = unwrap(this.app, status, body);
    if (!unwrapped.ok) throw new ConsoleError(unwrapped.code, `${this.app}: ${unwrapped.message}`);
    return unwrapped.data as T;
  }
}
