import { CallbackKind } from './callback-forms';

/** A queued callback as the dispatcher hands it to be sent. */
export interface OutgoingCallback {
  id: string;
  deviceKey: string;
  kind: CallbackKind;
  /** The form's JSON text as stored (fields in the document's order). */
  form: string;
}

/**
 * Sends one callback once (the dispatcher owns retries, to keep each device's order). Resolves
 * undefined when the platform took it, else the reason it did not (an HTTP status, a refusal in
 * its envelope, a timeout or network error), never a body or a secret.
 */
export abstract class CallbackSender {
  abstract send(callback: OutgoingCallback): Promise<string | undefined>;
}
