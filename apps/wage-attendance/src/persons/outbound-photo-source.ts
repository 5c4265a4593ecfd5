import { Injectable } from '@nestjs/common';
import { OutboundClient, OutboundHttp, OutboundHttpError } from '@onecard/platform';
import { WageAttendanceConfig } from '../config';
import { PhotoSource, PhotoUnavailable } from './photo-source';

/**
 * Photos by URL through an OutboundHttp client: one attempt (the platform's call waits for it)
 * within PHOTO_TIMEOUT_MS, at most PHOTO_MAX_BYTES read, redirects not followed.
 */
@Injectable()
export class OutboundPhotoSource extends PhotoSource {
  private readonly client: OutboundClient;

  constructor(
    outbound: OutboundHttp,
    private readonly config: WageAttendanceConfig,
  ) {
    super();
    // Every request names its own URL; the base is never used.
    this.client = outbound.client('photo-source', { baseUrl: 'http://127.0.0.1', timeoutMs: config.PHOTO_TIMEOUT_MS, retry: { maxAttempts: 1 }, maxResponseBytes: config.PHOTO_MAX_BYTES });
  }

  async fetch(url: string): Promise<Buffer> {
    try {
      const answer = await this.client.request({ method: 'GET', path: '', url });
      if (answer.status !== 200) throw new PhotoUnavailable(`the server answered HTTP ${answer.status}`);
      return answer.bytes;
    } catch (error) {
      if (!(error instanceof OutboundHttpError)) throw error;
      if (error.reason === 'timeout') throw new PhotoUnavailable(`no answer within ${this.config.PHOTO_TIMEOUT_MS} ms`);
      if (error.reason === 'response_too_large') throw new PhotoUnavailable(`larger than ${this.config.PHOTO_MAX_BYTES} bytes`);
      throw new PhotoUnavailable('the server could not be reached');
    }
  }
}
