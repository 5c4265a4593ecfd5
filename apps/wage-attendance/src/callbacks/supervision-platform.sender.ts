import { Injectable } from '@nestjs/common';
import { OutboundClient, OutboundHttp, OutboundHttpError } from '@onecard/platform';
import { WageKeys } from '../common/wage-keys';
import { WageAttendanceConfig } from '../config';
import { CALLBACK_PATHS, CallbackForm } from './callback-forms';
import { CallbackSender, OutgoingCallback } from './callback-sender';
import { callbackSignatureHeaders } from './callback-signature';
import { refusalOf } from './platform-answer';

const CALLBACK_ID = 'x-callback-id';

/**
 * Sends callbacks to SUPERVISION_CALLBACK_URL + the document's paths as form-urlencoded POSTs,
 * signed (callback-signature.ts), through an OutboundHttp client with its retries off: one
 * attempt per call, the dispatcher decides when to try again, so a device's callbacks never
 * overtake each other.
 */
@Injectable()
export class SupervisionPlatformSender extends CallbackSender {
  private readonly client: OutboundClient;

  constructor(outbound: OutboundHttp, config: WageAttendanceConfig, keys: WageKeys) {
    super();
    this.client = outbound.client('supervision-platform', {
      // Unset, the dispatcher does not run; the client is made anyway so the app's wiring is one.
      baseUrl: config.SUPERVISION_CALLBACK_URL ?? 'http://127.0.0.1:9',
      timeoutMs: config.CALLBACK_TIMEOUT_MS,
      retry: { maxAttempts: 1 },
      maxResponseBytes: 64 * 1024,
      sign: (request) =>
        callbackSignatureHeaders(keys.callbackSecret, request.pathWithQuery, request.headers[CALLBACK_ID] ?? '', request.body ?? Buffer.alloc(0)),
    });
  }

  async send(callback: OutgoingCallback): Promise<string | undefined> {
    try {
      const answer = await this.client.request({
        method: 'POST',
        path: CALLBACK_PATHS[callback.kind],
        headers: { [CALLBACK_ID]: callback.id },
        form: JSON.parse(callback.form) as CallbackForm,
      });
      return refusalOf(answer.status, answer.text);
    } catch (error) {
      if (!(error instanceof OutboundHttpError)) throw error;
      return error.reason === 'timeout' ? 'no answer in time' : error.reason === 'response_too_large' ? 'answer too large' : 'network error';
    }
  }
}
