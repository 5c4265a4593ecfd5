import { Injectable } from '@nestjs/common';
import { AppError, ErrorKind } from '@onecard/kernel';
import { CardIssuanceConfig } from '../config';
import { CardAlgorithmName, parseCardMasterKeys } from './card-master-keys';

export enum CardKeyErrorCode {
  NO_CARD_KEY = 'NO_CARD_KEY',
}

/**
 * The projects' card master keys (CARD_MASTER_KEYS, validated at boot). Kept in memory only;
 * never logged, never returned. The apdu library diversifies them per card uid.
 */
@Injectable()
export class CardKeyring {
  private readonly keys: Map<string, Buffer>;
  readonly algorithm: CardAlgorithmName;

  constructor(config: CardIssuanceConfig) {
    this.algorithm = config.CARD_ALGORITHM;
    this.keys = config.CARD_MASTER_KEYS ? parseCardMasterKeys(config.CARD_MASTER_KEYS, config.CARD_ALGORITHM) : new Map();
  }

  has(projectId: string): boolean {
    return this.keys.has(projectId);
  }

  /** Refuses a project no key is configured for, naming the request field. */
  assertProject(projectId: string, field = 'projectId'): void {
    if (!this.has(projectId)) {
      throw new AppError(ErrorKind.UNPROCESSABLE, CardKeyErrorCode.NO_CARD_KEY, `${field}: no card master key is configured for project ${projectId}`, field);
    }
  }

  masterKey(projectId: string): Buffer {
    const key = this.keys.get(projectId);
    if (!key) this.assertProject(projectId);
    return key as Buffer;
  }

  /** Keeps keys out of accidental JSON dumps and console.log. */
  toJSON(): object {
    return { algorithm: this.algorithm, projects: [...this.keys.keys()] };
  }
}
