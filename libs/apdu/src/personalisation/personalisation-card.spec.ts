import { CardAlgorithm } from '../crypto/diversification';
import { blankCardFor, runBatch, runPersonalisation } from '../virtual-card/kiosk-simulator';
import { counterRandom, SAMPLE_CARDHOLDER } from '../virtual-card/test-helpers';
import { VirtualCpuCard } from '../virtual-card/virtual-cpu-card';
import { advancePersonalisation, startPersonalisation } from './personalisation';
import { ApduStep, PersonalisationFailure, PersonalisationInput, PersonalisationOutcome, PersonalisationState } from './types';

/** End-to-end: the server state machine against the virtual card, with the state stored as JSON in between. */

const cardholder = SAMPLE_CARDHOLDER;

function inputFor(algorithm: CardAlgorithm, pmkHex = '2B7E151628AED2A6ABF7158809CF4F3C'): PersonalisationInput {
  return { uid: '04A1B2C3D4E5F6', cardholder, projectMasterKey: Buffer.from(pmkHex, 'hex'), algorithm };
}

const viaDb = (s: PersonalisationState): PersonalisationState => JSON.parse(JSON.stringify(s)) as PersonalisationState;

/** Like runPersonalisation, but round-trips the state through JSON and checks replays at every step. */
function driveWithReplays(card: VirtualCpuCard, input: PersonalisationInput): { outcome: PersonalisationOutcome; batches: ApduStep[][] } {
  let { state, batch } = startPersonalisation(input);
  const batches: ApduStep[][] = [];
  for (;;) {
    batches.push(batch);
    const report = runBatch(card, batch);
    const outcome = advancePersonalisation(viaDb(state), input, report);
    expect(advancePersonalisation(viaDb(state), input, report)).toStrictEqual(outcome);
    expect(advancePersonalisation(viaDb(outcome.state), input, report)).toStrictEqual(outcome);
    if (outcome.kind !== 'next') return { outcome, batches };
    state = outcome.state;
    batch = outcome.batch;
  }
}

describe.each<CardAlgorithm>(['3DES', 'SM4'])('personalisation against VirtualCpuCard (%s)', (alg) => {
  it('runs to finished and the card reads back the cardholder data', () => {
    const input = inputFor(alg);
    const card = blankCardFor(input, counterRandom());
    const { outcome, batches } = driveWithReplays(card, input);

    expect(outcome.kind).toBe('finished');
    expect(outcome.state).toMatchObject({ step: 'FINISHED', finished: true, failed: false, lastIssuedIndex: 19, batchNumber: 7 });
    expect(card.readCardholder()).toEqual(cardholder);
    expect(card.listKeyIds()).toEqual({ MF: [0], F04F4E4543415244: [0, 1, 2, 3] });

    // 7 batches; every one but the last ends with the GET CHALLENGE whose answer the next needs.
    // On a blank card the probe in batch 2 (SELECT application, #4) answers the 6A82 it expects.
    expect(batches[1][1]).toMatchObject({ index: 4, capdu: '00A4040008F04F4E454341524400', sws: '6A82' });
    expect(batches.map((b) => b.length)).toEqual([2, 7, 2, 2, 2, 3, 1]);
    batches.slice(0, -1).forEach((b) => expect(b.at(-1)?.capdu).toMatch(/^00840000(04|08)$/));
    expect(batches.at(-1)?.[0].capdu).toMatch(/^04D60000/);
    expect(batches.flat().map((s) => s.index)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    batches.flat().forEach((s) => expect(s.capdu).toMatch(/^[0-9A-F]+$/));
  });

  it('treats a repeat of the final report as finished again, and anything else as ALREADY_FINISHED', () => {
    const input = inputFor(alg);
    const run = runPersonalisation(blankCardFor(input, counterRandom()), input);
    const finalReport = run.reports.at(-1)!;
    expect(advancePersonalisation(run.outcome.state, input, finalReport)).toStrictEqual(run.outcome);
    const extra = advancePersonalisation(run.outcome.state, input, { ...finalReport, rapdu: '9000', lastIndex: 20 });
    expect(extra).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.ALREADY_FINISHED, state: run.outcome.state });
  });

  it('writes long cardholder data in several MAC-protected chunks', () => {
    const input = { ...inputFor(alg), cardholder: { ...cardholder, name: '名'.repeat(32), company: '司'.repeat(64) } };
    const card = blankCardFor(input, counterRandom());
    const run = runPersonalisation(card, input);
    expect(run.outcome.kind).toBe('finished');
    expect(run.batches.map((b) => b.length)).toEqual([2, 7, 2, 2, 2, 3, 2, 1]);
    expect(card.readCardholder()).toEqual(input.cardholder);
  });

  it('fails with UNEXPECTED_STATUS_WORD when a WRITE KEY MAC byte is tampered (card answers 6988)', () => {
    const input = inputFor(alg);
    const card = blankCardFor(input, counterRandom());
    const tamperedIndex = 10; // WRITE KEY 00, first command of batch 3
    const run = runPersonalisation(card, input, {
      tamper: (s) => (s.index === tamperedIndex ? flipLastByte(s.capdu) : undefined),
    });
    expect(run.reports.at(-1)).toMatchObject({ lastIndex: tamperedIndex, rapdu: '6988' });
    expect(run.outcome).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
    expect(run.outcome.kind === 'failed' && run.outcome.message).toMatch(/#10 \(WRITE KEY 00.*6988.*MAC incorrect/);
    expect(card.listKeyIds()).toEqual({ MF: [0], F04F4E4543415244: [] });
  });

  it('fails with UNEXPECTED_STATUS_WORD when the final UPDATE BINARY MAC is tampered', () => {
    const input = inputFor(alg);
    const card = blankCardFor(input, counterRandom());
    const run = runPersonalisation(card, input, { tamper: (s) => (s.index === 19 ? flipLastByte(s.capdu) : undefined) });
    expect(run.outcome).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
    expect(run.outcome.kind === 'failed' && run.outcome.message).toContain('6988');
    expect(() => card.readCardholder()).toThrow(); // the EF is still blank
  });

  it('fails on EXTERNAL AUTHENTICATE (63Cx) when the server has the wrong project master key', () => {
    const cardInput = inputFor(alg);
    const serverInput = inputFor(alg, '00000000000000000000000000000001');
    const card = blankCardFor(cardInput, counterRandom());
    const run = runPersonalisation(card, serverInput);
    expect(run.reports.at(-1)).toMatchObject({ lastIndex: 3, rapdu: '63C4' });
    expect(run.outcome).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
    expect(run.outcome.kind === 'failed' && run.outcome.message).toMatch(/EXTERNAL AUTHENTICATE.*63C4.*4 retries remaining/);
  });

  it('fails with WRONG_INDEX or KIOSK_REPORTED_FAILURE on a bad report mid-session', () => {
    const input = inputFor(alg);
    const card = blankCardFor(input, counterRandom());
    const { state, batch } = startPersonalisation(input);
    const r1 = runBatch(card, batch);
    const s2 = advancePersonalisation(state, input, r1);
    if (s2.kind !== 'next') throw new Error(s2.kind);
    const r2 = runBatch(card, s2.batch);
    expect(advancePersonalisation(s2.state, input, { ...r2, lastIndex: r2.lastIndex + 1 })).toMatchObject({ reason: PersonalisationFailure.WRONG_INDEX });
    // A repeat of the previous report is a replay (same answer), any other old index is wrong.
    expect(advancePersonalisation(s2.state, input, r1)).toStrictEqual(s2);
    expect(advancePersonalisation(s2.state, input, { ...r1, rapdu: '00000000000000009000' })).toMatchObject({
      reason: PersonalisationFailure.WRONG_INDEX,
    });
    expect(advancePersonalisation(s2.state, input, { ...r2, kioskResult: 'failure' })).toMatchObject({
      reason: PersonalisationFailure.KIOSK_REPORTED_FAILURE,
    });
  });
});

it('supports 3-key 3DES project master keys', () => {
  const input = inputFor('3DES', '0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');
  const card = blankCardFor(input);
  expect(runPersonalisation(card, input).outcome.kind).toBe('finished');
  expect(card.readCardholder()).toEqual(cardholder);
});

function flipLastByte(hex: string): string {
  const last = (parseInt(hex.slice(-2), 16) ^ 0x01).toString(16).toUpperCase().padStart(2, '0');
  return hex.slice(0, -2) + last;
}
