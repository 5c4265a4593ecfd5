import type { CheckOutcome } from '@onecard/contracts';

/** What the validator is told for each outcome: ret_code, the voice prompt to play, ret_msg. */
export interface CheckAnswer {
  ret_code: number;
  sound_no: number;
  ret_msg: string;
}

/**
 * THE table of check outcomes (card_check 2xxx, ticket_check 3xxx). sound_no 0 means "play
 * your default prompt" (the document: a non-zero sound_no selects that voice package); the
 * numbers below are defaults, TRANSIT_SOUND_NOS sets a deployment's own (checkAnswers).
 * The outcome names are the ones `card.checked` / `ticket.checked` carry.
 */
export const CHECK_ANSWERS: Record<CheckOutcome, CheckAnswer> = {
  valid: { ret_code: 0, sound_no: 0, ret_msg: '成功' },
  'not-listed': { ret_code: 2001, sound_no: 1, ret_msg: '卡片不在白名单内 (card not on the whitelist)' },
  invalid: { ret_code: 2002, sound_no: 2, ret_msg: '卡片已挂失或冻结 (card lost, frozen or blacklisted)' },
  'outside-window': { ret_code: 2003, sound_no: 3, ret_msg: '不在验票时间内 (outside the check window)' },
  'wrong-line': { ret_code: 2004, sound_no: 4, ret_msg: '本线路不可用 (not valid on this line)' },
  expired: { ret_code: 3001, sound_no: 5, ret_msg: '二维码已过期 (QR code expired)' },
  'bad-signature': { ret_code: 3002, sound_no: 6, ret_msg: '二维码无效 (QR code not genuine)' },
  'unknown-key': { ret_code: 3003, sound_no: 7, ret_msg: '二维码密钥无效 (QR key group unknown or retired)' },
  replayed: { ret_code: 3004, sound_no: 8, ret_msg: '二维码已使用 (QR code already used)' },
};

const OUTCOMES = Object.keys(CHECK_ANSWERS) as CheckOutcome[];

/**
 * Voice packages are the device vendor's: `TRANSIT_SOUND_NOS` maps outcomes to the numbers a
 * deployment's validators play, e.g. `invalid:12,replayed:15` (others keep the defaults above).
 * Throws a message naming the bad entry.
 */
export function parseSoundNumbers(text: string): Partial<Record<CheckOutcome, number>> {
  const out: Partial<Record<CheckOutcome, number>> = {};
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([a-z-]+):(\d{1,3})$/.exec(entry);
    if (!m || !OUTCOMES.includes(m[1] as CheckOutcome) || Number(m[2]) > 255) {
      throw new Error(`"${entry}" is not outcome:number (outcomes ${OUTCOMES.join(', ')}; numbers 0–255)`);
    }
    out[m[1] as CheckOutcome] = Number(m[2]);
  }
  return out;
}

/** The answer table with the deployment's voice package numbers. */
export function checkAnswers(soundNos?: string): Record<CheckOutcome, CheckAnswer> {
  const sounds = soundNos ? parseSoundNumbers(soundNos) : {};
  const table = { ...CHECK_ANSWERS };
  for (const [outcome, sound_no] of Object.entries(sounds) as Array<[CheckOutcome, number]>) table[outcome] = { ...table[outcome], sound_no };
  return table;
}

/** The table as Markdown, for the OpenAPI descriptions. */
export function checkAnswersDoc(outcomes: CheckOutcome[]): string {
  const rows = outcomes.map((o) => `| ${o} | ${CHECK_ANSWERS[o].ret_code} | ${CHECK_ANSWERS[o].sound_no} | ${CHECK_ANSWERS[o].ret_msg} |`);
  return ['| outcome | ret_code | sound_no | ret_msg |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export const CARD_OUTCOMES: CheckOutcome[] = ['valid', 'not-listed', 'invalid', 'outside-window', 'wrong-line'];
export const TICKET_OUTCOMES: CheckOutcome[] = ['valid', 'bad-signature', 'unknown-key', 'expired', 'outside-window', 'replayed'];

export interface CardCheckInput {
  /** The card's whitelist entry; undefined when it is not on the list (or was removed). */
  entry?: { flag: 0 | 1; lineIds: readonly string[] };
  /** The device's configuration. */
  whiteMode: number;
  isLineWhite: number;
  lineId: string;
  /** Whether the tap time falls in the device's check window. */
  inWindow: boolean;
}

/**
 * The online card decision, in this order:
 * 1. outside the device's check window → outside-window (nothing is checked out of hours);
 * 2. on the list with flag 0 (lost, frozen, blacklisted) → invalid, even with the whitelist off;
 * 3. not on the list while the whitelist is on (white_mode 1) → not-listed;
 * 4. line whitelist on (is_line_white 1) and the card not on the device's line → wrong-line;
 * 5. otherwise valid.
 */
export function decideCardCheck(input: CardCheckInput): CheckOutcome {
  if (!input.inWindow) return 'outside-window';
  if (input.entry && input.entry.flag === 0) return 'invalid';
  if (!input.entry && input.whiteMode === 1) return 'not-listed';
  if (input.isLineWhite === 1 && !input.entry?.lineIds.includes(input.lineId)) return 'wrong-line';
  return 'valid';
}

/** What an offline log's `status` says happened at the gate (0 normal, 1 not on the whitelist, 2 blacklisted). */
export function offlineOutcome(status: number): CheckOutcome {
  return status === 1 ? 'not-listed' : status === 2 ? 'invalid' : 'valid';
}
