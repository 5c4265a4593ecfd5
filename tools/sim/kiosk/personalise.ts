import { ApduStep, KioskReport, runBatch, VirtualCpuCard } from '@onecard/apdu';
import { SignedKiosk, WireResult } from './signed-client';

export interface PersonalisationTrace {
  onBatch?(batch: ApduStep[], report: KioskReport, answer: WireResult): void;
}

/**
 * The kiosk's side of personalisation: getOpenCardApdu, then each batch run on the card and
 * reported (index and R-APDU of the last command run) until isFinished. Returns every answer.
 */
export async function personalise(kiosk: SignedKiosk, card: VirtualCpuCard, orderId: string, userId: string, trace: PersonalisationTrace = {}): Promise<WireResult[]> {
  const answers: WireResult[] = [];
  let answer = await kiosk.getOpenCardApdu(orderId, userId, card.uid);
  answers.push(answer);
  if (answer.body?.code !== 0) throw new KioskCallError('getOpenCardApdu', answer);
  let batch: ApduStep[] = answer.body.data.cApdus;
  for (let n = 0; n < 64; n++) {
    const report = runBatch(card, batch);
    answer = await kiosk.apduExeResult({ apduIndex: String(report.lastIndex), rapdu: report.rapdu, result: '0x00', userId, uid: card.uid });
    answers.push(answer);
    trace.onBatch?.(batch, report, answer);
    if (answer.body?.code !== 0) throw new KioskCallError('apduExeResult', answer);
    if (answer.body.data.isFinished) return answers;
    batch = answer.body.data.cApdus;
  }
  throw new Error('personalisation did not finish within 64 batches');
}

export class KioskCallError extends Error {
  constructor(readonly call: string, readonly result: WireResult) {
    super(`${call} answered ${result.status} ${result.text.slice(0, 300)}`);
  }
}
