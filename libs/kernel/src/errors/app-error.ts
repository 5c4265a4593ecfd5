/**
 * What kind of failure an error is, independent of any wire format; each app's envelope turns
 * a kind (and the feature's own code) into its documented codes and HTTP status.
 */
export enum ErrorKind {
  INVALID_INPUT = 'INVALID_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  UNPROCESSABLE = 'UNPROCESSABLE',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

/**
 * A failure a feature reports on purpose. `code` is a value of the feature's own error enum;
 * the message is safe to show the caller (no secrets, no ID numbers).
 */
export class AppError<Code extends string = string> extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: Code,
    message: string,
    /** The request field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** A request field failed validation; raised by the validation pipes. */
export class InvalidInputError extends AppError<'INVALID_INPUT'> {
  constructor(field: string, message: string) {
    super(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', message, field);
  }
}
