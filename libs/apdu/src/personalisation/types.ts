import { CardholderData } from '../card/cardholder-file';
import { CardAlgorithm } from '../crypto/diversification';
import { Sm4MacFold } from '../crypto/mac';

/** One command for the kiosk: run `capdu`, expect status word `sws`. */
export interface ApduStep {
  /** Global, increasing across the whole session. */
  index: number;
  /** Uppercase hex. */
  capdu: string;
  /** Expected status word, e.g. "9000". */
  sws: string;
}

export interface PersonalisationInput {
  /** Card inner code / UID, hex, 4-10 bytes. */
  uid: string;
  cardholder: CardholderData;
  /** 16 bytes (3DES 2-key or SM4) or 24 bytes (3DES 3-key). Never stored in the state. */
  projectMasterKey: Buffer;
  algorithm: CardAlgorithm;
  /**
   * SM4 only: the secure-messaging MAC form of the cards being issued ('xor-halves' when absent),
   * which must match their COS (see README, "Crypto variants"). startPersonalisation keeps it in
   * the state and the session goes on with it; advancePersonalisation refuses another one.
   */
  sm4MacFold?: Sm4MacFold;
}

export enum PersonalisationFailure {
  UNEXPECTED_STATUS_WORD = 'UNEXPECTED_STATUS_WORD',
  WRONG_INDEX = 'WRONG_INDEX',
  MALFORMED_RESPONSE = 'MALFORMED_RESPONSE',
  KIOSK_REPORTED_FAILURE = 'KIOSK_REPORTED_FAILURE',
  ALREADY_FINISHED = 'ALREADY_FINISHED',
}

/** What the outstanding batch does (or the terminal state). */
export type PersonalisationStep =
  | 'OPEN_SESSION'
  | 'CREATE_APPLICATION'
  /** The card held the application from an earlier, interrupted run: erase it and create its files again. */
  | 'RECREATE_APPLICATION'
  | 'WRITE_KEY'
  | 'WRITE_CARDHOLDER'
  | 'FINISHED'
  | 'FAILED';

export interface OutstandingBatch {
  firstIndex: number;
  lastIndex: number;
  /** Expected SW per command, firstIndex first. */
  sws: string[];
  /** Human-readable command names for failure messages. */
  labels: string[];
  /**
   * Per command, a status word other than `sws` that is an answer rather than a failure: the
   * kiosk stops the batch there (as at any other status word) and the script branches on it.
   * null where there is none; absent in states stored before probes existed.
   */
  branchSws?: Array<string | null>;
}

export interface KioskReport {
  /** Index of the last command the kiosk executed. */
  lastIndex: number;
  /** R-APDU of that command, hex. */
  rapdu: string;
  kioskResult: 'success' | 'failure';
}

/**
 * JSON-serialisable session state (stored between HTTP calls). Holds no keys:
 * every call re-derives them from the input, so the state is safe to persist.
 */
export interface PersonalisationState {
  version: 1;
  uid: string;
  algorithm: CardAlgorithm;
  /**
   * SM4 sessions: the MAC form they started with, so a change of setting never reaches a card
   * mid-run. Absent in 3DES sessions and in states stored before it existed ('xor-halves').
   */
  sm4MacFold?: Sm4MacFold;
  /** SHA-256 prefix over uid, algorithm and the cardholder file: detects a caller passing other input. */
  inputFingerprint: string;
  step: PersonalisationStep;
  /** WRITE_KEY: which application key the outstanding batch writes (0-based). */
  keyIndex: number;
  /** WRITE_CARDHOLDER: which cardholder chunk the outstanding batch writes (0-based). */
  chunkIndex: number;
  batchNumber: number;
  lastIssuedIndex: number;
  outstanding: OutstandingBatch | null;
  finished: boolean;
  failed: boolean;
  failure: { reason: PersonalisationFailure; message: string } | null;
  /** The report that produced this state; a repeat of it is answered identically. */
  acceptedReport: KioskReport | null;
  /** The state before `acceptedReport` (one level deep, its own `previous` is null). */
  previous: PersonalisationState | null;
}

export type PersonalisationOutcome =
  | { kind: 'next'; state: PersonalisationState; batch: ApduStep[] }
  | { kind: 'finished'; state: PersonalisationState }
  | { kind: 'failed'; state: PersonalisationState; reason: PersonalisationFailure; message: string };
