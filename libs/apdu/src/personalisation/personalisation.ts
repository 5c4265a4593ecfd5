import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { toHex } from '../bytes';
import { deriveCardKeys, parseUid } from '../card/card-keys';
import { encodeCardholderFile } from '../card/cardholder-file';
import { Sm4MacFold, SM4_MAC_FOLDS } from '../crypto/mac';
import { APP_KEY_SLOTS, AUTH_CHALLENGE_LENGTH, CARDHOLDER_EF_SIZE, MAC_CHALLENGE_LENGTH } from '../card/profile';
import { PersonalisationInputError } from '../errors';
import {
  cardholderChunkCount, createApplicationBatch, openSessionBatch, PlannedCommand, recreateApplicationBatch, writeCardholderBatch, writeKeyBatch,
} from './batches';
import { checkReport, sameReport } from './report-check';
import {
  ApduStep, KioskReport, OutstandingBatch, PersonalisationFailure, PersonalisationInput, PersonalisationOutcome, PersonalisationState,
  PersonalisationStep,
} from './types';

interface Prepared {
  uid: string;
  image: Buffer;
  fingerprint: string;
}

function prepare(input: PersonalisationInput): Prepared {
  if (input.algorithm !== '3DES' && input.algorithm !== 'SM4') throw new PersonalisationInputError(`unknown algorithm ${String(input.algorithm)}`);
  if (input.sm4MacFold !== undefined && !SM4_MAC_FOLDS.includes(input.sm4MacFold)) {
    throw new PersonalisationInputError(`sm4MacFold must be ${SM4_MAC_FOLDS.join(' or ')}, got ${String(input.sm4MacFold)}`);
  }
  const uid = toHex(parseUid(input.uid));
  const keyLengths = input.algorithm === 'SM4' ? [16] : [16, 24];
  if (!Buffer.isBuffer(input.projectMasterKey) || !keyLengths.includes(input.projectMasterKey.length)) {
    throw new PersonalisationInputError(`${input.algorithm} project master key must be ${keyLengths.join(' or ')} bytes`);
  }
  const image = encodeCardholderFile(input.cardholder);
  if (image.length > CARDHOLDER_EF_SIZE) throw new PersonalisationInputError(`cardholder file is ${image.length} bytes, EF holds ${CARDHOLDER_EF_SIZE}`);
  const fingerprint = createHash('sha256').update(`${uid}|${input.algorithm}|`).update(image).digest('hex').slice(0, 32);
  return { uid, image, fingerprint };
}

/** The session's SM4 MAC form: states stored before it was a setting lack it, and folded. */
function sessionSm4MacFold(state: PersonalisationState): Sm4MacFold {
  return state.sm4MacFold ?? 'xor-halves';
}

function toSteps(planned: PlannedCommand[], firstIndex: number): ApduStep[] {
  return planned.map((p, i) => ({ index: firstIndex + i, capdu: p.apdu.toHex(), sws: p.sws }));
}

function issue(base: PersonalisationState, step: PersonalisationStep, planned: PlannedCommand[], progress: Partial<PersonalisationState>) {
  const firstIndex = base.lastIssuedIndex + 1;
  const batch = toSteps(planned, firstIndex);
  const lastIndex = firstIndex + batch.length - 1;
  const outstanding: OutstandingBatch = { firstIndex, lastIndex, sws: planned.map((p) => p.sws), labels: planned.map((p) => p.label) };
  // Only a batch with a probe carries the field: the states of the others stay as they were.
  if (planned.some((p) => p.branchSw)) outstanding.branchSws = planned.map((p) => p.branchSw ?? null);
  const state: PersonalisationState = {
    ...base,
    ...progress,
    step,
    batchNumber: base.batchNumber + 1,
    lastIssuedIndex: lastIndex,
    outstanding,
  };
  return { state, batch };
}

/** Validates the input and returns batch 1 (SELECT MF, GET CHALLENGE). */
export function startPersonalisation(input: PersonalisationInput): { state: PersonalisationState; batch: ApduStep[] } {
  const p = prepare(input);
  const initial: PersonalisationState = {
    version: 1,
    uid: p.uid,
    algorithm: input.algorithm,
    // 3DES states stay as they were: the fold means nothing to a retail MAC.
    ...(input.algorithm === 'SM4' ? { sm4MacFold: input.sm4MacFold ?? 'xor-halves' } : {}),
    inputFingerprint: p.fingerprint,
    step: 'OPEN_SESSION',
    keyIndex: 0,
    chunkIndex: 0,
    batchNumber: 0,
    lastIssuedIndex: 0,
    outstanding: null,
    finished: false,
    failed: false,
    failure: null,
    acceptedReport: null,
    previous: null,
  };
  return issue(initial, 'OPEN_SESSION', openSessionBatch(), {});
}

function stripPrevious(state: PersonalisationState): PersonalisationState {
  return { ...state, previous: null };
}

function failWith(state: PersonalisationState, report: KioskReport, reason: PersonalisationFailure, message: string): PersonalisationOutcome {
  const failed: PersonalisationState = {
    ...state,
    step: 'FAILED',
    failed: true,
    failure: { reason, message },
    outstanding: null,
    acceptedReport: report,
    previous: stripPrevious(state),
  };
  return { kind: 'failed', state: failed, reason, message };
}

/**
 * Pure: the same (state, input, report) always gives the same outcome, and a
 * repeat of the report that produced `state` is answered exactly as the first time.
 */
export function advancePersonalisation(state: PersonalisationState, input: PersonalisationInput, report: KioskReport): PersonalisationOutcome {
  if (state.acceptedReport && state.previous && sameReport(state.acceptedReport, report)) {
    return advancePersonalisation(state.previous, input, report);
  }
  const p = prepare(input);
  if (p.fingerprint !== state.inputFingerprint) {
    throw new PersonalisationInputError('input (uid, algorithm or cardholder data) differs from the one this session was started with');
  }
  const fold = sessionSm4MacFold(state);
  if (input.algorithm === 'SM4' && input.sm4MacFold !== undefined && input.sm4MacFold !== fold) {
    throw new PersonalisationInputError(`sm4MacFold ${input.sm4MacFold} differs from this session's ${fold}: a session keeps the MAC form it started with`);
  }
  if (state.finished) {
    return { kind: 'failed', state, reason: PersonalisationFailure.ALREADY_FINISHED, message: 'personalisation already finished' };
  }
  if (state.failed || !state.outstanding) {
    const f = state.failure ?? { reason: PersonalisationFailure.WRONG_INDEX, message: 'no outstanding batch' };
    return { kind: 'failed', state, reason: f.reason, message: `session already failed: ${f.message}` };
  }
  const check = checkReport(state.outstanding, report);
  if (!check.ok) return failWith(state, report, check.reason, check.message);

  const base: PersonalisationState = { ...state, acceptedReport: report, previous: stripPrevious(state) };
  const keys = deriveCardKeys(input.projectMasterKey, Buffer.from(p.uid, 'hex'), input.algorithm);
  const challenge = check.response.data;
  const needChallenge = (length: number): PersonalisationOutcome | null =>
    challenge.length === length
      ? null
      : failWith(state, report, PersonalisationFailure.MALFORMED_RESPONSE, `GET CHALLENGE returned ${challenge.length} bytes, expected ${length}`);

  const next = (step: PersonalisationStep, planned: PlannedCommand[], progress: Partial<PersonalisationState> = {}): PersonalisationOutcome => ({
    kind: 'next',
    ...issue(base, step, planned, progress),
  });

  switch (state.step) {
    case 'OPEN_SESSION':
      return needChallenge(AUTH_CHALLENGE_LENGTH) ?? next('CREATE_APPLICATION', createApplicationBatch(keys, input.algorithm, challenge));
    case 'CREATE_APPLICATION':
      // The probe found the application: an earlier run on this card was cut short. Wipe and redo.
      if (check.branched) return next('RECREATE_APPLICATION', recreateApplicationBatch());
      return needChallenge(MAC_CHALLENGE_LENGTH) ?? next('WRITE_KEY', writeKeyBatch(keys, input.algorithm, challenge, 0, fold), { keyIndex: 0 });
    case 'RECREATE_APPLICATION':
      return needChallenge(MAC_CHALLENGE_LENGTH) ?? next('WRITE_KEY', writeKeyBatch(keys, input.algorithm, challenge, 0, fold), { keyIndex: 0 });
    case 'WRITE_KEY': {
      const bad = needChallenge(MAC_CHALLENGE_LENGTH);
      if (bad) return bad;
      const keyIndex = state.keyIndex + 1;
      if (keyIndex < APP_KEY_SLOTS.length) return next('WRITE_KEY', writeKeyBatch(keys, input.algorithm, challenge, keyIndex, fold), { keyIndex });
      return next('WRITE_CARDHOLDER', writeCardholderBatch(keys, input.algorithm, challenge, 0, p.image, fold), { chunkIndex: 0 });
    }
    case 'WRITE_CARDHOLDER': {
      const chunkIndex = state.chunkIndex + 1;
      if (chunkIndex >= cardholderChunkCount(p.image)) {
        return { kind: 'finished', state: { ...base, step: 'FINISHED', finished: true, outstanding: null } };
      }
      return needChallenge(MAC_CHALLENGE_LENGTH) ?? next('WRITE_CARDHOLDER', writeCardholderBatch(keys, input.algorithm, challenge, chunkIndex, p.image, fold), { chunkIndex });
    }
    default:
      return failWith(state, report, PersonalisationFailure.WRONG_INDEX, `no batch outstanding in step ${state.step}`);
  }
}
