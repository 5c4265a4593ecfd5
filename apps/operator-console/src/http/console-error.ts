/** Every failure the console answers, as `{error: {code, message}}` with this code. */
export enum ConsoleErrorCode {
  UNAUTHORIZED = 'UNAUTHORIZED',
  NOT_FOUND = 'NOT_FOUND',
  BAD_REQUEST = 'BAD_REQUEST',
  /** The app did not answer (down, timed out, not reachable). */
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  /** The app answered with a refusal (bad input, still failing, not allowed). */
  UPSTREAM_REFUSED = 'UPSTREAM_REFUSED',
  UPSTREAM_NOT_FOUND = 'UPSTREAM_NOT_FOUND',
  UPSTREAM_CONFLICT = 'UPSTREAM_CONFLICT',
  /** The app refused the console's ADMIN_TOKEN: the console's configuration is wrong. */
  UPSTREAM_UNAUTHORIZED = 'UPSTREAM_UNAUTHORIZED',
  /** The app answered something the console cannot read. */
  UPSTREAM_INVALID = 'UPSTREAM_INVALID',
  INTERNAL = 'INTERNAL',
}

const STATUS: Record<ConsoleErrorCode, number> = {
  [ConsoleErrorCode.UNAUTHORIZED]: 401,
  [ConsoleErrorCode.NOT_FOUND]: 404,
  [ConsoleErrorCode.BAD_REQUEST]: 400,
  [ConsoleErrorCode.UPSTREAM_UNAVAILABLE]: 503,
  [ConsoleErrorCode.UPSTREAM_REFUSED]: 422,
  [ConsoleErrorCode.UPSTREAM_NOT_FOUND]: 404,
  [ConsoleErrorCode.UPSTREAM_CONFLICT]: 409,
  [ConsoleErrorCode.UPSTREAM_UNAUTHORIZED]: 502,
  [ConsoleErrorCode.UPSTREAM_INVALID]: 502,
  [ConsoleErrorCode.INTERNAL]: 500,
};

export class ConsoleError extends Error {
  constructor(
    readonly code: ConsoleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }

  get status(): number {
    return STATUS[this.code];
  }

  toWire(): { error: { code: ConsoleErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
