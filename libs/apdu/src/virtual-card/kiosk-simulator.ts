import { Buffer } from 'node:buffer';
import { deriveCardKeys, parseUid } from '../card/card-keys';
import { advancePersonalisation, startPersonalisation } from '../personalisation/personalisation';
import { ApduStep, KioskReport, PersonalisationInput, PersonalisationOutcome } from '../personalisation/types';
import { VirtualCpuCard } from './virtual-cpu-card';

/** Anything that answers C-APDU hex with R-APDU hex: a VirtualCpuCard or a reader wrapper. */
export interface ApduTransport {
  transmit(capduHex: string): string;
}

export interface KioskOptions {
  /** Rewrites a command before it reaches the card (fault injection); return undefined to leave it. */
  tamper?: (step: ApduStep) => string | undefined;
}

/**
 * Behaves like the kiosk: runs the batch in order, stops at the first status word
 * that differs from `sws`, and reports only the last index executed and its R-APDU.
 * A status mismatch is still kioskResult 'success' — 'failure' is for kiosk-side
 * trouble (reader error, card pulled).
 */
export function runBatch(card: ApduTransport, batch: ApduStep[], options: KioskOptions = {}): KioskReport {
  if (batch.length === 0) throw new Error('empty batch');
  let report: KioskReport | null = null;
  for (const step of batch) {
    const rapdu = card.transmit(options.tamper?.(step) ?? step.capdu);
    report = { lastIndex: step.index, rapdu, kioskResult: 'success' };
    if (rapdu.slice(-4).toUpperCase() !== step.sws.toUpperCase()) break;
  }
  return report as KioskReport;
}

/** A blank virtual card whose MF master key is the one diversified for `input`, checking SM4 MACs in the form `input` makes them. */
export function blankCardFor(
  input: Pick<PersonalisationInput, 'uid' | 'algorithm' | 'projectMasterKey' | 'sm4MacFold'>, random?: (n: number) => Buffer,
): VirtualCpuCard {
  const { cardMasterKey } = deriveCardKeys(input.projectMasterKey, parseUid(input.uid), input.algorithm);
  return VirtualCpuCard.blank({ uid: input.uid, cardMasterKey, algorithm: input.algorithm, sm4MacFold: input.sm4MacFold, random });
}

export interface PersonalisationRun {
  outcome: PersonalisationOutcome;
  batches: ApduStep[][];
  reports: KioskReport[];
}

/** Drives start/advance against a card until the session finishes or fails. */
export function runPersonalisation(card: ApduTransport, input: PersonalisationInput, options: KioskOptions = {}, maxBatches = 32): PersonalisationRun {
  const started = startPersonalisation(input);
  let state = started.state;
  let batch = started.batch;
  const batches: ApduStep[][] = [];
  const reports: KioskReport[] = [];
  for (let n = 0; n < maxBatches; n++) {
    batches.push(batch);
    const report = runBatch(card, batch, options);
    reports.push(report);
    const outcome = advancePersonalisation(state, input, report);
    if (outcome.kind !== 'next') return { outcome, batches, reports };
    state = outcome.state;
    batch = outcome.batch;
  }
  throw new Error(`personalisation did not end within ${maxBatches} batches`);
}
