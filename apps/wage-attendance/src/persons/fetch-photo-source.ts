// TEMPORARY until OutboundHttp lands in main (then an OutboundHttp client with its timeout and
// answer size cap replaces this).
import { Injectable } from '@nestjs/common';
import { WageAttendanceConfig } from '../config';
import { PhotoSource, PhotoUnavailable } from './photo-source';

@Injectable()
export class FetchPhotoSource extends PhotoSource {
  constructor(private readonly config: WageAttendanceConfig) {
    super();
  }

  async fetch(url: string): Promise<Buffer> {
    const max = this.config.PHOTO_MAX_BYTES;
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(this.config.PHOTO_TIMEOUT_MS) });
    } catch (error) {
      throw new PhotoUnavailable((error as Error).name === 'TimeoutError' ? `no answer within ${this.config.PHOTO_TIMEOUT_MS} ms` : 'the server could not be reached');
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new PhotoUnavailable(`the server answered HTTP ${res.status}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > max) throw new PhotoUnavailable(`larger than ${max} bytes`);
        chunks.push(Buffer.from(chunk));
      }
    } catch (error) {
      if (error instanceof PhotoUnavailable) throw error;
      throw new PhotoUnavailable((error as Error).name === 'TimeoutError' ? `no answer within ${this.config.PHOTO_TIMEOUT_MS} ms` : 'the download broke off');
    }
    return Buffer.concat(chunks);
  }
}
