import { CardholderData } from '../card/cardholder-file';
import { eraseDf } from '../card/commands';
import { CardAlgorithm } from '../crypto/diversification';
import { ApduTransport, blankCardFor, runPersonalisation } from '../virtual-card/kiosk-simulator';
import { counterRandom, SAMPLE_CARDHOLDER } from '../virtual-card/test-helpers';
import { VirtualCpuCard } from '../virtual-card/virtual-cpu-card';
import { PersonalisationFailure, PersonalisationInput } from './types';

/**
 * A kiosk that loses power mid-card starts again (getOpenCardApdu, a new session) with the same
 * card: wherever the first run stopped, the new run must leave the card exactly as a run on a
 * blank card does.
 */

const cardholder = SAMPLE_CARDHOLDER;

function inputFor(algorithm: CardAlgorithm, data: CardholderData = cardholder): PersonalisationInput {
  return { uid: '04A1B2C3D4E5F6', cardholder: data, projectMasterKey: Buffer.from('2B7E151628AED2A6ABF7158809CF4F3C', 'hex'), algorithm };
}

class PowerLost extends Error {}

/** The kiosk's reader: `budget` commands reach the card, then the power goes before the next one. */
function reader(card: VirtualCpuCard, budget: number): ApduTransport {
  let left = budget;
  return {
    transmit(capdu: string): string {
      if (left-- <= 0) throw new PowerLost();
      return card.transmit(capdu);
    },
  };
}

/** A run whose power goes after `commands` commands (a run that gets that far just loses its last answer); then a power cycle. */
function cutPower(card: VirtualCpuCard, input: PersonalisationInput, commands: number): void {
  try {
    runPersonalisation(reader(card, commands), input);
  } catch (error) {
    if (!(error instanceof PowerLost)) throw error;
  }
  card.reset();
}

/** A blank card personalised in one go: the state every restart must reach, and how many commands it took. */
function freshRun(input: PersonalisationInput) {
  const card = blankCardFor(input, counterRandom());
  const run = runPersonalisation(card, input);
  expect(run.outcome.kind).toBe('finished');
  return { snapshot: card.snapshot(), commands: card.transcript.length, createDfAt: card.transcript.findIndex((t) => t.capdu.startsWith('80E01001')) + 1 };
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each<CardAlgorithm>(['3DES', 'SM4'])('restarting a personalisation on the same card (%s)', (alg) => {
  const input = inputFor(alg);
  const fresh = freshRun(input);

  it('runs 19 commands on a blank card, CREATE DF being the 5th', () => {
    expect(fresh).toMatchObject({ commands: 19, createDfAt: 5 });
    expect(fresh.snapshot.dfs.map((d) => d.name)).toEqual(['MF', 'F04F4E4543415244']);
  });

  it.each(upTo(19))('after power loss behind command %i, a restart ends identical to a fresh card', (commands) => {
    const card = blankCardFor(input, counterRandom());
    cutPower(card, input, commands);
    // The comparison has teeth: once the application exists, the interrupted card is not the fresh one.
    if (commands >= fresh.createDfAt && commands < fresh.commands) expect(card.snapshot()).not.toEqual(fresh.snapshot);

    const restart = runPersonalisation(card, input);
    expect(restart.outcome.kind).toBe('finished');
    expect(card.snapshot()).toEqual(fresh.snapshot);
    expect(card.readCardholder()).toEqual(cardholder);

    if (commands < fresh.createDfAt) {
      // Nothing was created yet: the probe answers 6A82 and the run is a blank card's.
      expect(restart.batches.map((b) => b.length)).toEqual([2, 7, 2, 2, 2, 3, 1]);
    } else {
      // The probe (#4) found the application: one more round trip, erasing it first.
      expect(restart.reports[1]).toMatchObject({ lastIndex: 4, rapdu: expect.stringMatching(/^6F0A8408F04F4E45434152449000$/) });
      expect(restart.batches.map((b) => b.length)).toEqual([2, 7, 5, 2, 2, 2, 3, 1]);
      expect(restart.batches[2][0]).toMatchObject({ index: 10, capdu: eraseDf().toHex(), sws: '9000' });
    }
  });

  it('ends identical when the restart itself loses power too, wherever both stop', () => {
    // A restart on a used card: SELECT MF, GET CHALLENGE | EXT AUTH, probe | ERASE DF + 4 | 9 for the keys | 1 UPDATE BINARY.
    const restartLength = 19;
    for (const first of [fresh.createDfAt, fresh.createDfAt + 1, 8, 10, 14, fresh.commands]) {
      for (const second of upTo(restartLength)) {
        const card = blankCardFor(input, counterRandom());
        cutPower(card, input, first);
        cutPower(card, input, second);
        expect(runPersonalisation(card, input).outcome.kind).toBe('finished');
        expect({ first, second, snapshot: card.snapshot() }).toEqual({ first, second, snapshot: fresh.snapshot });
      }
    }
  });

  it('ends identical for cardholder data written in several chunks, cut between or inside them', () => {
    const long = inputFor(alg, { ...cardholder, name: '名'.repeat(32), company: '司'.repeat(64) });
    const reference = freshRun(long);
    for (const commands of upTo(reference.commands)) {
      const card = blankCardFor(long, counterRandom());
      cutPower(card, long, commands);
      expect(runPersonalisation(card, long).outcome.kind).toBe('finished');
      expect({ commands, snapshot: card.snapshot() }).toEqual({ commands, snapshot: reference.snapshot });
    }
  });

  it('lets only the issuer wipe: with the wrong project key the restart stops at EXTERNAL AUTHENTICATE and the card keeps what it had', () => {
    const card = blankCardFor(input, counterRandom());
    cutPower(card, input, 12);
    const before = card.snapshot();
    const wrongKey = { ...input, projectMasterKey: Buffer.from('00000000000000000000000000000001', 'hex') };
    const run = runPersonalisation(card, wrongKey);
    expect(run.outcome).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
    expect(run.reports.at(-1)).toMatchObject({ lastIndex: 3, rapdu: '63C4' });
    // Only the MF key's retry counter moved; a right restart then resets it.
    const mfKeysBefore = before.dfs[0].keys?.map((k) => ({ ...k, triesLeft: k.triesLeft - 1 }));
    expect(card.snapshot()).toEqual({ dfs: [{ ...before.dfs[0], keys: mfKeysBefore }, before.dfs[1]] });
    card.reset();
    expect(runPersonalisation(card, input).outcome.kind).toBe('finished');
    expect(card.snapshot()).toEqual(fresh.snapshot);
  });
});
