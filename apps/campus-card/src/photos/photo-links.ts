import { Injectable } from '@nestjs/common';
import { keyOrDevelopmentKey } from '@onecard/kernel';
import { hmacSha256Hex, safeEqual } from '@onecard/platform';
import { CampusCardConfig } from '../config';

export interface PhotoLink {
  userCode: string;
  version: number;
  /** Unix seconds. */
  expires: number;
}

/**
 * Photo download `url`s: capability links signed with PHOTO_LINK_KEY, valid PHOTO_URL_SECONDS and
 * for the photo version they were made for (an updated photo needs a new link). They need no
 * token, so an app can hand one to an <img>.
 */
@Injectable()
export class PhotoLinks {
  private readonly key: string;

  constructor(private readonly config: CampusCardConfig) {
    this.key = keyOrDevelopmentKey(config, 'PHOTO_LINK_KEY', config.PHOTO_LINK_KEY);
  }

  url(base: string, userCode: string, version: number, format: string): string {
    const expires = Math.floor(Date.now() / 1000) + this.config.PHOTO_URL_SECONDS;
    const sign = this.sign({ userCode, version, expires });
    return `${base}/v1/photo-files/${encodeURIComponent(userCode)}/${version}.${format}?expires=${expires}&sign=${sign}`;
  }

  /** True when the link is ours and unexpired. */
  verify(link: PhotoLink, sign: string): boolean {
    return link.expires * 1000 > Date.now() && safeEqual(this.sign(link), sign);
  }

  private sign(link: PhotoLink): string {
    return hmacSha256Hex(this.key, `${link.userCode}|${link.version}|${link.expires}`);
  }
}
