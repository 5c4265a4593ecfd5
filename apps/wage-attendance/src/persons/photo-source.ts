/** Why a photo URL gave no usable photo; the message is safe to answer (no body, no secret). */
export class PhotoUnavailable extends Error {}

/**
 * Fetches a photo the platform registers by URL: within PHOTO_TIMEOUT_MS, at most
 * PHOTO_MAX_BYTES, rejecting with PhotoUnavailable (an HTTP status, a timeout, too large).
 */
export abstract class PhotoSource {
  abstract fetch(url: string): Promise<Buffer>;
}
