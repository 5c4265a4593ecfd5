import { Sm4MacFold } from '../crypto/mac';
import { PersonalisationInputError } from '../errors';
import { blankCardFor, runBatch, runPersonalisation } from '../virtual-card/kiosk-simulator';
import { counterRandom, SAMPLE_CARDHOLDER, TEST_PMK, TEST_UID } from '../virtual-card/test-helpers';
import { VirtualCpuCard } from '../virtual-card/virtual-cpu-card';
import { advancePersonalisation, startPersonalisation } from './personalisation';
import { ApduStep, PersonalisationFailure, PersonalisationInput, PersonalisationOutcome, PersonalisationState } from './types';

/** The SM4 MAC form (fold or not) as a setting: server and virtual card must agree on it. */

const sm4 = (sm4MacFold?: Sm4MacFold): PersonalisationInput => ({
  uid: TEST_UID, cardholder: SAMPLE_CARDHOLDER, projectMasterKey: TEST_PMK, algorithm: 'SM4', sm4MacFold,
});

/** The commands that carry a MAC (CLA with the SM bit: 84 WRITE KEY, 04 UPDATE BINARY). */
const macd = (batches: ApduStep[][]) => batches.flat().filter((s) => /^(84|04)/.test(s.capdu));

/** Drives a session with the state stored as JSON between reports, passed through `store` (an older build's row, say). */
function drive(card: VirtualCpuCard, input: PersonalisationInput, store: (s: PersonalisationState) => PersonalisationState) {
  let { state, batch } = startPersonalisation(input);
  const batches: ApduStep[][] = [];
  for (;;) {
    batches.push(batch);
    const outcome: PersonalisationOutcome = advancePersonalisation(store(JSON.parse(JSON.stringify(state)) as PersonalisationState), input, runBatch(card, batch));
    if (outcome.kind !== 'next') return { outcome, batches };
    state = outcome.state;
    batch = outcome.batch;
  }
}

describe('SM4 MAC fold', () => {
  it("personalises a card modelling 'none' with fold 'none', and its MACs differ from 'xor-halves' ones", () => {
    const none = runPersonalisation(blankCardFor(sm4('none'), counterRandom()), sm4('none'));
    const folded = runPersonalisation(blankCardFor(sm4(), counterRandom()), sm4());
    expect(none.outcome).toMatchObject({ kind: 'finished', state: { sm4MacFold: 'none' } });
    expect(folded.outcome).toMatchObject({ kind: 'finished', state: { sm4MacFold: 'xor-halves' } });

    // Same card, keys and challenges: every MAC'd command is the same up to its last 4 bytes, the MAC.
    const [a, b] = [macd(none.batches), macd(folded.batches)];
    expect(a.map((s) => s.index)).toEqual([10, 12, 14, 16, 19]);
    expect(a.map((s) => s.capdu.slice(0, -8))).toEqual(b.map((s) => s.capdu.slice(0, -8)));
    a.forEach((s, i) => expect(s.capdu.slice(-8)).not.toBe(b[i].capdu.slice(-8)));
  });

  it("reads the cardholder data back from the 'none' card", () => {
    const card = blankCardFor(sm4('none'), counterRandom());
    expect(runPersonalisation(card, sm4('none')).outcome.kind).toBe('finished');
    expect(card.readCardholder()).toEqual(SAMPLE_CARDHOLDER);
    expect(card.listKeyIds()).toEqual({ MF: [0], F04F4E4543415244: [0, 1, 2, 3] });
  });

  it.each<[Sm4MacFold, Sm4MacFold]>([
    ['none', 'xor-halves'],
    ['xor-halves', 'none'],
  ])('server %s, card %s: the card refuses the first MAC (WRITE KEY 00, #10) with 6988, reported as a wrong MAC', (server, cardFold) => {
    const card = blankCardFor(sm4(cardFold), counterRandom());
    const run = runPersonalisation(card, sm4(server));
    expect(run.reports.map((r) => r.rapdu.slice(-4))).toEqual(['9000', '9000', '6988']);
    expect(run.reports.at(-1)).toMatchObject({ lastIndex: 10, rapdu: '6988' });
    expect(run.outcome).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
    expect(run.outcome.kind === 'failed' && run.outcome.message).toMatch(/#10 \(WRITE KEY 00.*6988.*MAC incorrect/);
    expect(card.listKeyIds()).toEqual({ MF: [0], F04F4E4543415244: [] });
  });

  it("continues a stored state without the field (an older session) as 'xor-halves'", () => {
    const strip = (s: PersonalisationState): PersonalisationState => {
      const { sm4MacFold: _dropped, ...old } = s;
      return { ...old, previous: s.previous && strip(s.previous) };
    };
    const old = drive(blankCardFor(sm4(), counterRandom()), sm4(), strip);
    const current = drive(blankCardFor(sm4(), counterRandom()), sm4(), (s) => s);
    expect(old.outcome.kind).toBe('finished');
    expect(old.outcome.state.sm4MacFold).toBeUndefined();
    expect(old.batches).toEqual(current.batches);
    // An older session refuses an input asking for the other form, as any other changed input.
    const { state } = startPersonalisation(sm4());
    expect(() => advancePersonalisation(strip(state), sm4('none'), { lastIndex: 2, rapdu: '01010101010101019000', kioskResult: 'success' })).toThrow(
      /sm4MacFold none differs from this session's xor-halves/,
    );
  });

  it('keeps the form a session started with: input without it goes on with the state, input with the other one is refused', () => {
    const card = blankCardFor(sm4('none'), counterRandom());
    const started = startPersonalisation(sm4('none'));
    const report = runBatch(card, started.batch);
    expect(() => advancePersonalisation(started.state, sm4('xor-halves'), report)).toThrow(PersonalisationInputError);
    const next = advancePersonalisation(started.state, sm4(), report);
    if (next.kind !== 'next') throw new Error(next.kind);
    expect(next.state.sm4MacFold).toBe('none');
    // On to WRITE KEY 00, MAC'd the session's way: the 'none' card accepts it.
    const keysBatch = advancePersonalisation(next.state, sm4(), runBatch(card, next.batch));
    if (keysBatch.kind !== 'next') throw new Error(keysBatch.kind);
    expect(runBatch(card, keysBatch.batch)).toMatchObject({ lastIndex: 11, rapdu: expect.stringMatching(/9000$/) });
  });

  it('refuses an unknown fold; 3DES sessions ignore it and their state has no such field', () => {
    expect(() => startPersonalisation(sm4('left4' as Sm4MacFold))).toThrow(/sm4MacFold must be xor-halves or none, got left4/);
    const des = { ...sm4('none'), algorithm: '3DES' as const };
    const run = runPersonalisation(blankCardFor({ ...des, sm4MacFold: 'xor-halves' }, counterRandom()), des);
    expect(run.outcome.kind).toBe('finished');
    expect(run.outcome.state).not.toHaveProperty('sm4MacFold');
    expect(run.batches).toEqual(runPersonalisation(blankCardFor(des, counterRandom()), { ...des, sm4MacFold: undefined }).batches);
  });
});
