import { Buffer } from 'node:buffer';
import { CommandApdu } from '../apdu/command-apdu';
import { ResponseApdu } from '../apdu/response-apdu';
import { CardAlgorithm } from '../crypto/diversification';
import { Sm4MacFold } from '../crypto/mac';
import { KEY_TYPE, MF_FID } from '../card/profile';

/** In-memory model of the virtual card's file system and security state. */

export interface CardKey {
  id: number;
  type: number;
  algorithmId: number;
  value: Buffer;
  maxTries: number;
  triesLeft: number;
}

export interface BinaryEf {
  fid: number;
  size: number;
  /** FMCOS type A8: UPDATE BINARY needs a MAC with the DF maintenance key. */
  macOnWrite: boolean;
  data: Buffer;
}

export interface DedicatedFile {
  fid: number;
  aid: Buffer | null;
  /** null until a key file is created (the MF ships with one). */
  keys: Map<number, CardKey> | null;
  efs: Map<number, BinaryEf>;
  children: DedicatedFile[];
}

export interface CardState {
  readonly algorithm: CardAlgorithm;
  /** The SM4 MAC form this card's COS checks (see BlankCardOptions). */
  readonly sm4MacFold: Sm4MacFold;
  readonly mf: DedicatedFile;
  readonly random: (length: number) => Buffer;
  currentDf: DedicatedFile;
  currentEf: BinaryEf | null;
  /** Single-use: consumed by the next EXTERNAL AUTHENTICATE or MAC'd command, pass or fail. */
  challenge: Buffer | null;
  /** DFs whose external-auth key was proven since the MF was last selected. */
  authenticated: Set<DedicatedFile>;
}

export type Handler = (state: CardState, cmd: CommandApdu) => ResponseApdu;

export function sw(status: number, data?: Uint8Array): ResponseApdu {
  return ResponseApdu.status(status, data);
}

export function newDf(fid: number, aid: Buffer | null): DedicatedFile {
  return { fid, aid, keys: null, efs: new Map(), children: [] };
}

export function blankMf(): DedicatedFile {
  return { ...newDf(MF_FID, null), keys: new Map() };
}

export function allDfs(state: CardState): DedicatedFile[] {
  return [state.mf, ...state.mf.children];
}

/** Takes the challenge out of the card so it can never be used twice. */
export function consumeChallenge(state: CardState): Buffer | null {
  const c = state.challenge;
  state.challenge = null;
  return c;
}

export function findKeyOfType(df: DedicatedFile, type: number): CardKey | undefined {
  return [...(df.keys?.values() ?? [])].find((k) => k.type === type);
}

export function masterKeyOf(df: DedicatedFile): CardKey | undefined {
  const k = df.keys?.get(0x00);
  return k && k.type === KEY_TYPE.EXTERNAL_AUTH ? k : undefined;
}

export function dfLabel(df: DedicatedFile): string {
  return df.aid ? df.aid.toString('hex').toUpperCase() : 'MF';
}
