/** What a client sends: a path under its base URL, and at most one of `json`, `form`, `body`. */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** Path under the client's base URL, e.g. `/v1.0/devices`. */
  path: string;
  /**
   * An absolute http(s) URL to call instead of the base URL and `path` (which is then ignored):
   * for a client that fetches what it is handed, a photo URL say. Logs name its path only.
   */
  url?: string;
  /** Query parameters; undefined ones are left out, an array repeats the key. */
  query?: Record<string, string | number | boolean | undefined | Array<string | number | boolean>>;
  headers?: Record<string, string>;
  /** Sent as JSON (`content-type: application/json`). */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | number | boolean | undefined>;
  /** Sent as it is; give its `content-type` in `headers`. */
  body?: string | Buffer;
}

/** What `sign` sees on each attempt: the request exactly as it will be sent. */
export interface SignableRequest {
  method: string;
  /** Absolute URL, query included. */
  url: string;
  /** Path and query as sent (`/v1.0/x?a=1`). */
  pathWithQuery: string;
  /** Headers before signing (the caller's and the body's content-type). */
  headers: Readonly<Record<string, string>>;
  /** The body bytes as sent, or undefined. */
  body: Buffer | undefined;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface OutboundClientOptions {
  /** Scheme, host and optional path prefix, e.g. `https://openapi.tuyacn.com`. */
  baseUrl: string;
  /** Per attempt: connecting, sending and reading the whole answer. Default 10 s. */
  timeoutMs?: number;
  retry?: {
    /** Attempts in all, the first included; 1 never retries. Default 3. */
    maxAttempts?: number;
    /** Scale of the first backoff (exponential, with jitter). Default 200 ms. */
    baseDelayMs?: number;
    /** Longest wait between attempts; a Retry-After asking for longer is not retried. Default 5 s. */
    maxDelayMs?: number;
  };
  /**
   * Headers to add to each attempt (a signature with a fresh timestamp and nonce). Runs once per
   * attempt, never reused across retries. May be async (fetching a token first).
   */
  sign?: (request: SignableRequest) => Record<string, string> | Promise<Record<string, string>>;
  /**
   * For an API that reports failures inside a 2xx answer: true retries this answer as a 5xx
   * would be. 5xx and 429 are retried without it.
   */
  retryOn?: (response: OutboundResponse) => boolean;
  /** Largest answer body read, bytes. Default 16 MiB. */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as UTF-8 text ('' when empty). */
  text: string;
  /** The body's bytes as received (an image, say). */
  bytes: Buffer;
  /** The body parsed as JSON; throws OutboundHttpError (without the body) when it is not JSON. */
  json<T = unknown>(): T;
}

/** Why a request gave up without an answer to return. */
export type OutboundFailure = 'timeout' | 'network' | 'response_too_large' | 'invalid_json';

/**
 * A call that ended without an answer (or with an answer that is not JSON, from `json()`). The
 * message names the client, the method and the path without its query; never a body or header.
 */
export class OutboundHttpError extends Error {
  constructor(
    readonly client: string,
    readonly reason: OutboundFailure,
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundHttpError';
  }
}
