import { AppError, ErrorKind } from '@onecard/kernel';

export enum SyncErrorCode {
  /** The sync ran and Tuya (or storing) failed it; the last good copy stays. */
  SYNC_FAILED = 'SYNC_FAILED',
  /** Another replica's sync held the lock for longer than an operator call waits. */
  SYNC_BUSY = 'SYNC_BUSY',
}

export class SyncFailed extends AppError<SyncErrorCode> {
  constructor(message: string) {
    super(ErrorKind.UNAVAILABLE, SyncErrorCode.SYNC_FAILED, message);
  }
}

export class SyncBusy extends AppError<SyncErrorCode> {
  constructor(waitedMs: number) {
    super(ErrorKind.CONFLICT, SyncErrorCode.SYNC_BUSY, `another replica's sync has been running for over ${Math.round(waitedMs / 1000)} s; try again later`);
  }
}
