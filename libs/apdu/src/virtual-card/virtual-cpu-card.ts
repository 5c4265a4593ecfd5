import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { CommandApdu } from '../apdu/command-apdu';
import { ResponseApdu } from '../apdu/response-apdu';
import { SW } from '../apdu/status-words';
import { parseUid } from '../card/card-keys';
import { CardholderData, decodeCardholderFile } from '../card/cardholder-file';
import { INS, readBinary, selectByAid, selectByFid } from '../card/commands';
import { APP_AID, CARDHOLDER_EF_FID, CARDHOLDER_EF_SIZE, KEY_ALGORITHM_ID, KEY_MAX_TRIES, KEY_TYPE, MF_MASTER_KEY_ID, UPDATE_CHUNK_SIZE } from '../card/profile';
import { CardAlgorithm } from '../crypto/diversification';
import { Sm4MacFold } from '../crypto/mac';
import { ApduFormatError, PersonalisationInputError } from '../errors';
import { blankMf, CardState, dfLabel, Handler, sw } from './card-state';
import { CardSnapshot, snapshotOf } from './card-snapshot';
import { createFile, eraseDf, readBinary as readBinaryHandler, select, updateBinary } from './file-handlers';
import { writeKey } from './key-handlers';
import { externalAuthenticate, getChallenge } from './security-handlers';

export interface BlankCardOptions {
  uid: string;
  /** The diversified card master key the factory loads into the MF key file. */
  cardMasterKey: Buffer;
  algorithm: CardAlgorithm;
  /**
   * SM4 cards: the MAC form the modelled COS checks, 'xor-halves' (default) or 'none' (leading
   * bytes of the unfolded block). Real COSes differ here; a card that expects the other form
   * answers 6988 to every MAC'd command.
   */
  sm4MacFold?: Sm4MacFold;
  /** Challenge source; inject a seeded one for reproducible tests. Defaults to crypto.randomBytes. */
  random?: (length: number) => Buffer;
  maxTries?: number;
}

export interface TranscriptEntry {
  capdu: string;
  rapdu: string;
}

const ROUTES: Record<number, { classes: readonly number[]; handle: Handler }> = {
  [INS.SELECT]: { classes: [0x00], handle: select },
  [INS.GET_CHALLENGE]: { classes: [0x00], handle: getChallenge },
  [INS.EXTERNAL_AUTHENTICATE]: { classes: [0x00], handle: externalAuthenticate },
  [INS.CREATE_FILE]: { classes: [0x80], handle: createFile },
  [INS.ERASE_DF]: { classes: [0x80], handle: eraseDf },
  [INS.WRITE_KEY]: { classes: [0x80, 0x84], handle: writeKey },
  [INS.UPDATE_BINARY]: { classes: [0x00, 0x04], handle: updateBinary },
  [INS.READ_BINARY]: { classes: [0x00, 0x04], handle: readBinaryHandler },
};

/**
 * A software FMCOS/PBOC-like CPU card for tests: real cryptographic checks on
 * EXTERNAL AUTHENTICATE, MACs and key decryption, single-use challenges, retry counters.
 */
export class VirtualCpuCard {
  readonly uid: string;
  readonly algorithm: CardAlgorithm;
  readonly transcript: TranscriptEntry[] = [];
  private readonly state: CardState;

  private constructor(options: BlankCardOptions) {
    this.uid = parseUid(options.uid).toString('hex').toUpperCase();
    if (options.cardMasterKey.length !== 16) {
      throw new PersonalisationInputError(`card master key must be 16 bytes, got ${options.cardMasterKey.length}`);
    }
    const maxTries = options.maxTries ?? KEY_MAX_TRIES;
    const mf = blankMf();
    mf.keys?.set(MF_MASTER_KEY_ID, {
      id: MF_MASTER_KEY_ID,
      type: KEY_TYPE.EXTERNAL_AUTH,
      algorithmId: KEY_ALGORITHM_ID[options.algorithm],
      value: Buffer.from(options.cardMasterKey),
      maxTries,
      triesLeft: maxTries,
    });
    this.algorithm = options.algorithm;
    this.state = {
      algorithm: options.algorithm,
      sm4MacFold: options.sm4MacFold ?? 'xor-halves',
      mf,
      random: options.random ?? ((n) => randomBytes(n)),
      currentDf: mf,
      currentEf: null,
      challenge: null,
      authenticated: new Set(),
    };
  }

  /** A card as the factory ships it: only the MF and its master key. */
  static blank(options: BlankCardOptions): VirtualCpuCard {
    return new VirtualCpuCard(options);
  }

  /** Executes one C-APDU (hex) and returns the R-APDU as uppercase hex. */
  transmit(capduHex: string): string {
    const rapdu = this.execute(capduHex).toHex();
    this.transcript.push({ capdu: capduHex.toUpperCase(), rapdu });
    return rapdu;
  }

  /** Power cycle: back to the MF, no challenge, no security state. */
  reset(): void {
    this.state.currentDf = this.state.mf;
    this.state.currentEf = null;
    this.state.challenge = null;
    this.state.authenticated.clear();
  }

  private execute(capduHex: string): ResponseApdu {
    let cmd: CommandApdu;
    try {
      cmd = CommandApdu.parse(capduHex);
    } catch (e) {
      if (e instanceof ApduFormatError) return sw(SW.WRONG_LENGTH);
      throw e;
    }
    const route = ROUTES[cmd.ins];
    if (!route) return sw(SW.INS_NOT_SUPPORTED);
    if (!route.classes.includes(cmd.cla)) return sw(SW.CLA_NOT_SUPPORTED);
    try {
      return route.handle(this.state, cmd);
    } catch {
      return sw(SW.UNKNOWN_ERROR);
    }
  }

  /** Test helper: reads the cardholder EF back through SELECT + READ BINARY APDUs. */
  readCardholder(): CardholderData {
    this.expectOk(selectByAid(APP_AID).toHex(), 'SELECT application');
    this.expectOk(selectByFid(CARDHOLDER_EF_FID).toHex(), 'SELECT cardholder EF');
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < CARDHOLDER_EF_SIZE; offset += UPDATE_CHUNK_SIZE) {
      const length = Math.min(UPDATE_CHUNK_SIZE, CARDHOLDER_EF_SIZE - offset);
      chunks.push(this.expectOk(readBinary(offset, length).toHex(), `READ BINARY @${offset}`).data);
    }
    return decodeCardholderFile(Buffer.concat(chunks));
  }

  /** Installed key ids per DF ("MF" or the AID in hex); never the key values. */
  listKeyIds(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const df of [this.state.mf, ...this.state.mf.children]) {
      if (df.keys) out[dfLabel(df)] = [...df.keys.keys()].sort((a, b) => a - b);
    }
    return out;
  }

  /** Test helper: files, contents, keys (as fingerprints) and retry counters, for comparing cards. */
  snapshot(): CardSnapshot {
    return snapshotOf(this.state.mf);
  }

  private expectOk(capdu: string, what: string): ResponseApdu {
    const r = ResponseApdu.parse(this.transmit(capdu));
    if (!r.isSuccess) throw new Error(`${what} failed: ${r.swHex} (${r.meaning})`);
    return r;
  }
}
