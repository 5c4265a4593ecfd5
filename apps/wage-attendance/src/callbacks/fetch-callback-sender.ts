// TEMPORARY until OutboundHttp lands in main: one attempt per call with Node's fetch, replaced by
// a named OutboundHttp client (retries off: the dispatcher retries, keeping each device's order).
import { Injectable } from '@nestjs/common';
import { WageKeys } from '../common/wage-keys';
import { WageAttendanceConfig } from '../config';
import { CALLBACK_PATHS, CallbackForm, encodeForm } from './callback-forms';
import { CallbackSender, OutgoingCallback } from './callback-sender';
import { callbackSignatureHeaders } from './callback-signature';
import { refusalOf } from './platform-answer';

@Injectable()
export class FetchCallbackSender extends CallbackSender {
  private readonly base: URL;

  constructor(
    private readonly config: WageAttendanceConfig,
    private readonly keys: WageKeys,
  ) {
    super();
    this.base = new URL(config.SUPERVISION_CALLBACK_URL ?? 'http://127.0.0.1:9');
  }

  async send(callback: OutgoingCallback): Promise<string | undefined> {
    const path = `${this.base.pathname.replace(/\/$/, '')}${CALLBACK_PATHS[callback.kind]}`;
    const body = encodeForm(JSON.parse(callback.form) as CallbackForm);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...callbackSignatureHeaders(this.keys.callbackSecret, path, callback.id, body) };
    try {
      const res = await fetch(new URL(path, this.base), { method: 'POST', headers, body, signal: AbortSignal.timeout(this.config.CALLBACK_TIMEOUT_MS) });
      return refusalOf(res.status, await res.text());
    } catch (error) {
      const name = (error as Error).name;
      return name === 'TimeoutError' ? `no answer within ${this.config.CALLBACK_TIMEOUT_MS} ms` : 'network error';
    }
  }
}
