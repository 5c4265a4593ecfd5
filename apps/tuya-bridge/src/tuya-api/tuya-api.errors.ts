import { AppError, ErrorKind } from '@onecard/kernel';

export enum TuyaApiErrorCode {
  /** Credentials unset: nothing is asked of Tuya. */
  TUYA_NOT_CONFIGURED = 'TUYA_NOT_CONFIGURED',
  /** No answer, or 5xx / rate limits after every attempt. */
  TUYA_UNAVAILABLE = 'TUYA_UNAVAILABLE',
  /** Tuya answered `success: false` (a Tuya code and message). */
  TUYA_REFUSED = 'TUYA_REFUSED',
  /** Tuya answered something the document does not describe. */
  TUYA_MALFORMED_ANSWER = 'TUYA_MALFORMED_ANSWER',
}

/** Tuya could not be reached, or kept failing (5xx, 429, timeouts) through every attempt. */
export class TuyaUnavailable extends AppError<TuyaApiErrorCode> {
  constructor(message: string) {
    super(ErrorKind.UNAVAILABLE, TuyaApiErrorCode.TUYA_UNAVAILABLE, message);
    this.name = 'TuyaUnavailable';
  }
}

/**
 * Tuya answered `{success: false, code, msg}`. `tuyaCode` is Tuya's own code, which the local
 * API passes on as it is (the envelope reads it).
 */
export class TuyaRefused extends AppError<TuyaApiErrorCode> {
  constructor(
    readonly tuyaCode: number,
    readonly tuyaMsg: string,
    call: string,
  ) {
    super(ErrorKind.UNAVAILABLE, TuyaApiErrorCode.TUYA_REFUSED, `${call}: Tuya refused: ${tuyaCode} ${tuyaMsg}`);
    this.name = 'TuyaRefused';
  }
}

export class TuyaMalformedAnswer extends AppError<TuyaApiErrorCode> {
  constructor(message: string) {
    super(ErrorKind.UNAVAILABLE, TuyaApiErrorCode.TUYA_MALFORMED_ANSWER, `Tuya's answer is not as documented: ${message}`);
    this.name = 'TuyaMalformedAnswer';
  }
}

export class TuyaNotConfigured extends AppError<TuyaApiErrorCode> {
  constructor() {
    super(ErrorKind.UNAVAILABLE, TuyaApiErrorCode.TUYA_NOT_CONFIGURED, 'Tuya is not configured: set TUYA_CLIENT_ID, TUYA_CLIENT_SECRET and TUYA_PROJECT_IDS');
    this.name = 'TuyaNotConfigured';
  }
}
