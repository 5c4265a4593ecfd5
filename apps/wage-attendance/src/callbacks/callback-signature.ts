import { signDeviceRequest } from '@onecard/platform';

/**
 * Each callback request carries X-Timestamp (unix ms), X-Callback-Id (the callback's id, the same
 * on every retry of it: the platform may use it to drop a repeat) and X-Signature = lowercase hex
 * HMAC-SHA256(CALLBACK_SECRET, "POST\n" + path + "\n" + timestamp + "\n" + callbackId + "\n" +
 * lowercase hex SHA-256(body)): the terminals' canonical string with the callback id where their
 * nonce goes. `path` is the request's path as sent, including any path of SUPERVISION_CALLBACK_URL.
 */
export function callbackSignatureHeaders(secret: string, path: string, callbackId: string, body: Buffer | string, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(nowMs);
  return {
    'x-timestamp': timestamp,
    'x-callback-id': callbackId,
    'x-signature': signDeviceRequest(secret, { method: 'POST', pathWithQuery: path, timestamp, nonce: callbackId, body }),
  };
}
