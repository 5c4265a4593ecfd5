import { insideWindows, PassWindow } from '../authorisations/pass-times';

/** What the server knows of the recognised person at this terminal (none: a stranger, or not authorised here). */
export interface Entitlement {
  /** 0 none, 1 face, 2 card, 3 face and card. */
  permission: number;
  windows: readonly PassWindow[];
  validFrom: Date | null;
  validUntil: Date | null;
}

export interface Judgement {
  /** 1 matched, 2 not (the terminal's, or 2 when the card was refused here). */
  type: 1 | 2;
  /** 1 inside passTimes, 2 outside, 3 not judged (no passTimes, or no authorisation). */
  passTimeType: 1 | 2 | 3;
  /** 1 inside the permission period, 2 outside, 3 not judged (no period, or no authorisation). */
  permissionTimeType: 1 | 2 | 3;
  /** '1' the recognition mode is one the permission allows, '2' it is not. */
  recModeType: '1' | '2';
  cardBlocked: boolean;
  /** Everything says the person may pass: the gate may open. */
  pass: boolean;
}

/** Recognition modes (1 face, 2 card, 3 face and card, 4 ID card against face) each permission allows. */
const ALLOWED: Record<number, readonly number[]> = { 0: [], 1: [1, 3, 4], 2: [2, 3], 3: [1, 2, 3, 4] };

/** A mode that read a card (card, or face and card). */
export const readsCard = (recMode: number): boolean => recMode === 2 || recMode === 3;

/**
 * The server's judgement of a recognition record: passTimes at the recognition's time of day in
 * the wire zone, the permission period at its instant, the mode against the permission; and a
 * card reported lost, frozen or replaced never matches (type 2) wherever it is read.
 */
export function judge(input: { type: number; recMode: number; secondOfDay: number; at: Date; entitlement?: Entitlement; cardBlocked: boolean }): Judgement {
  const e = input.entitlement;
  const passTimeType = !e || e.windows.length === 0 ? 3 : insideWindows(e.windows, input.secondOfDay) ? 1 : 2;
  const permissionTimeType = !e || (!e.validFrom && !e.validUntil) ? 3 : (e.validFrom && input.at < e.validFrom) || (e.validUntil && input.at >= e.validUntil) ? 2 : 1;
  const recModeType = e && (ALLOWED[e.permission] ?? []).includes(input.recMode) ? '1' : '2';
  const cardBlocked = input.cardBlocked && readsCard(input.recMode);
  const type = input.type === 1 && !cardBlocked ? 1 : 2;
  return { type, passTimeType, permissionTimeType, recModeType, cardBlocked, pass: type === 1 && recModeType === '1' && passTimeType !== 2 && permissionTimeType !== 2 };
}
