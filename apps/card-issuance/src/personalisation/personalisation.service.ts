import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  advancePersonalisation, ApduStep, CardholderData, PersonalisationFailure, PersonalisationInputError, PersonalisationOutcome,
  PersonalisationState, startPersonalisation,
} from '@onecard/apdu';
import { AppError, ErrorKind } from '@onecard/kernel';
import { CardKeyring } from '../card-keys/card-keyring';
import { isUniqueViolation } from '../common/wire-format';
import { CardIssuanceConfig } from '../config';
import type { KioskIdentity } from '../kiosk-auth/machine-credentials';
import { OrderStatus } from '../orders/card-order.entity';
import { cardDates } from './card-dates';
import { ApduExeResultDto, GetOpenCardApduDto } from './dto/personalisation.dto';
import { SessionStatus, StoredReport } from './personalisation-session.entity';
import { PersonalisationErrorCode as Code } from './personalisation.errors';
import { encodeAnswer, errorAnswer, isSameReport, replayAnswer, SessionAnswer } from './session-answer';
import { SessionCache } from './session-cache';
import { assertPending, orderNotFound, otherProject, reportProblem, SESSION_BY_CARD, sessionKey, sessionNotFound, SessionRow, stateOf } from './session-row';

/** Which request field a failure of the card script is about. */
const FAILURE_FIELD: Record<PersonalisationFailure, string> = {
  [PersonalisationFailure.UNEXPECTED_STATUS_WORD]: 'rapdu',
  [PersonalisationFailure.MALFORMED_RESPONSE]: 'rapdu',
  [PersonalisationFailure.KIOSK_REPORTED_FAILURE]: 'result',
  [PersonalisationFailure.WRONG_INDEX]: 'apduIndex',
  [PersonalisationFailure.ALREADY_FINISHED]: 'uid',
};

interface StartRow {
  order_id: string;
  user_id: string;
  status: OrderStatus;
  project_id: string;
  claimed_machine_no: string | null;
  card_no: string;
  user_name: string;
  id_card: string;
  company_name: string;
  bound_order: string | null;
  active_id: string | null;
  active_uid: string | null;
  active_machine_no: string | null;
  active_untouched: boolean | null;
  active_answer: string | null;
  /** The last answer of a session of this card, at this kiosk, that reached isFinished. */
  finished_answer: string | null;
}

/** The answer of an active session this same start already opened and nothing has run on (the kiosk lost our answer). */
function untouchedTwin(order: StartRow | undefined, kiosk: KioskIdentity, dto: GetOpenCardApduDto): string | undefined {
  if (order?.active_id && order.active_uid === dto.uid && order.active_machine_no === kiosk.machineNo && order.active_untouched) return order.active_answer ?? undefined;
  return undefined;
}

/** The cached row was out of date: read the database and try once more. */
const STALE = Symbol('stale');

/**
 * Online personalisation: getOpenCardApdu and apduExeResult. A session is a Postgres row holding
 * the apdu library's state (no keys); a report is one conditional update (optimistic `version`)
 * of a row usually already in this replica's cache, so any replica can take any report.
 */
@Injectable()
export class PersonalisationService {
  private readonly logger = new Logger('personalisation');
  private readonly sessions = new SessionCache<SessionRow>(5000, 10 * 60_000);

  constructor(
    private readonly db: DataSource,
    private readonly keyring: CardKeyring,
    private readonly config: CardIssuanceConfig,
  ) {}

  /**
   * getOpenCardApdu: a new session for this card (replacing any other of the order) and its first
   * batch. The same card again after an interruption (power lost mid-card, an answer lost) is a new
   * session like any other: the script finds what the earlier run left on the card and erases it
   * first (@onecard/apdu). Only a card that already reached isFinished here is not run again: it
   * gets that answer. No transaction and no row lock on the order: one read, then the insert,
   * which the one-active-session-per-order index makes safe against a concurrent start. (A cancel
   * racing a start can at worst leave a session running for a cancelled order; finish only ever
   * updates a PENDING order, so such a card is never bound nor announced.)
   */
  async start(kiosk: KioskIdentity, dto: GetOpenCardApduDto): Promise<unknown> {
    const order = await this.orderForStart(kiosk, dto);
    if (!order || order.user_id !== dto.userId) throw orderNotFound();
    assertPending(order.status);
    if (order.project_id !== kiosk.projectId) throw otherProject();
    if (order.claimed_machine_no !== kiosk.machineNo) throw notRedeemedHere();
    if (order.bound_order) throw new AppError(ErrorKind.CONFLICT, Code.UID_IN_USE, 'uid: this card is already issued for another order; use a blank card', 'uid');
    // The card is personalised but the kiosk lost the answer saying so (isFinished): give it again,
    // byte for byte, so the kiosk goes on to finish instead of personalising the card all over.
    if (order.finished_answer) return replayAnswer(order.finished_answer);
    const replay = untouchedTwin(order, kiosk, dto);
    if (replay) return replayAnswer(replay);
    if (order.active_id) {
      await this.db.query(
        `UPDATE personalisation_session SET status = 'ABANDONED', failure = 'replaced by a new getOpenCardApdu', version = version + 1, updated_at = now()
         WHERE id = $1 AND status = 'ACTIVE'`,
        [order.active_id],
      );
    }
    const dates = cardDates(new Date(), this.config.WIRE_TIME_ZONE, this.config.CARD_VALIDITY_YEARS);
    const cardholder: CardholderData = { cardNo: order.card_no, name: order.user_name, idNumber: order.id_card, company: order.company_name, ...dates };
    let started: { state: PersonalisationState; batch: ApduStep[] };
    try {
      started = startPersonalisation({
        uid: dto.uid, cardholder, projectMasterKey: this.keyring.masterKey(order.project_id), algorithm: this.keyring.algorithm,
        sm4MacFold: this.config.CARD_SM4_MAC_FOLD,
      });
    } catch (error) {
      if (error instanceof PersonalisationInputError) throw new AppError(ErrorKind.UNPROCESSABLE, Code.CARD_DATA_INVALID, `orderId: the order's data cannot be written to a card: ${error.message}`, 'orderId');
      throw error;
    }
    const answer = encodeAnswer({ ok: true, data: { userId: order.user_id, cApdus: started.batch } });
    const stateText = JSON.stringify(started.state);
    const first = started.batch[0].index;
    const last = started.batch[started.batch.length - 1].index;
    let id: string;
    try {
      // Only while this kiosk still holds the claim: the share lock waits for a claim moving to
      // another kiosk (orders/pickup-claim.ts) and then sees where it went, so a session never
      // starts under a claim already passed on, and a move after this insert abandons it.
      const inserted: Array<{ id: string }> = await this.db.query(
        `INSERT INTO personalisation_session (order_id, user_id, machine_no, uid, card_no, issue_date, expiry_date, state, batch_first, batch_last, last_answer)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM card_order o
          WHERE o.order_id = $1 AND o.claimed_machine_no = $3 AND o.status = 'PENDING' FOR SHARE OF o
         RETURNING id`,
        [order.order_id, order.user_id, kiosk.machineNo, dto.uid, order.card_no, dates.issueDate, dates.expiryDate, stateText, first, last, answer],
      );
      if (inserted.length === 0) throw notRedeemedHere();
      [{ id }] = inserted;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another start for this order won the race; if it is this very request repeated, answer as it did.
      const again = untouchedTwin(await this.orderForStart(kiosk, dto), kiosk, dto);
      if (again) return replayAnswer(again);
      throw new AppError(ErrorKind.CONFLICT, Code.CONCURRENT_CHANGE, 'orderId: another getOpenCardApdu for this order arrived at the same time', 'orderId');
    }
    this.sessions.set(sessionKey(dto.uid, order.user_id), {
      id: String(id), order_id: order.order_id, user_id: order.user_id, machine_no: kiosk.machineNo, uid: dto.uid, status: SessionStatus.ACTIVE,
      card_no: order.card_no, issue_date: dates.issueDate, expiry_date: dates.expiryDate, state_text: stateText, batch_first: first, batch_last: last,
      last_report: null, last_answer: answer, version: 0, user_name: order.user_name, id_card: order.id_card, company_name: order.company_name, project_id: order.project_id,
    });
    return replayAnswer(answer);
  }

  /**
   * The order, whether the card is bound elsewhere, the order's active session and whether this
   * card finished personalisation for it at this kiosk (what finish asks for): one read.
   */
  private async orderForStart(kiosk: KioskIdentity, dto: GetOpenCardApduDto): Promise<StartRow | undefined> {
    const [row] = await this.db.query(
      `SELECT o.order_id, o.user_id, o.status, o.project_id, o.claimed_machine_no, o.card_no, o.user_name, o.id_card, o.company_name,
              (SELECT b.order_id FROM card_order b WHERE b.uid = $2) AS bound_order,
              a.id AS active_id, a.uid AS active_uid, a.machine_no AS active_machine_no, a.last_report IS NULL AS active_untouched, a.last_answer AS active_answer,
              (SELECT f.last_answer FROM personalisation_session f
               WHERE f.order_id = o.order_id AND f.uid = $2 AND f.machine_no = $3 AND f.status = 'FINISHED' ORDER BY f.id DESC LIMIT 1) AS finished_answer
       FROM card_order o LEFT JOIN personalisation_session a ON a.order_id = o.order_id AND a.status = 'ACTIVE'
       WHERE o.order_id = $1`,
      [dto.orderId, dto.uid, kiosk.machineNo],
    );
    return row;
  }

  /** apduExeResult: the kiosk's report on the outstanding batch; answers the next batch, the end, or the failure. */
  async report(kiosk: KioskIdentity, dto: ApduExeResultDto): Promise<unknown> {
    const report: StoredReport = { apduIndex: Number(dto.apduIndex), rapdu: dto.rapdu.toUpperCase(), result: dto.result };
    const key = sessionKey(dto.uid, dto.userId);
    const cached = this.sessions.get(key);
    if (cached) {
      const answer = await this.apply(kiosk, cached, report, key, true);
      if (answer !== STALE) return answer;
    }
    const [row]: SessionRow[] = await this.db.query(SESSION_BY_CARD, [dto.uid, dto.userId]);
    const answer = await this.apply(kiosk, row, report, key, false);
    if (answer !== STALE) return answer;
    // Another replica took a report for this session meanwhile: the same one is answered alike.
    const [now]: SessionRow[] = await this.db.query(SESSION_BY_CARD, [dto.uid, dto.userId]);
    if (now && now.id === row.id && isSameReport(now.last_report, report)) return replayAnswer(now.last_answer);
    throw new AppError(ErrorKind.CONFLICT, Code.CONCURRENT_CHANGE, 'apduIndex: another report for this session arrived at the same time', 'apduIndex');
  }

  /**
   * Applies `report` to `row`. Returns the answer (or throws the error the kiosk gets), or STALE
   * when the row turned out not to be the database's: a cached row is trusted only for a replay
   * or a successful conditional update, never for an error.
   */
  private async apply(kiosk: KioskIdentity, row: SessionRow | undefined, report: StoredReport, key: string, cached: boolean): Promise<unknown> {
    if (!row || row.machine_no !== kiosk.machineNo) {
      if (cached) return STALE;
      throw sessionNotFound();
    }
    if (isSameReport(row.last_report, report)) return replayAnswer(row.last_answer);
    const problem = reportProblem(row, report);
    if (problem) {
      if (cached) return STALE;
      throw problem;
    }
    const outcome = this.advance(row, report);
    const { answer, status, batch, failure } = this.answerFor(row, outcome);
    const text = encodeAnswer(answer);
    const stateText = JSON.stringify(outcome.state);
    const first = batch?.[0]?.index ?? null;
    const last = batch?.[batch.length - 1]?.index ?? null;
    const [, updated] = await this.db.query(
      `UPDATE personalisation_session SET state = $3, status = $4, batch_first = $5, batch_last = $6, last_report = $7, last_answer = $8,
         failure = $9, version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2`,
      [row.id, row.version, stateText, status, first, last, report, text, failure],
    );
    if (updated === 0) {
      this.sessions.delete(key);
      return STALE;
    }
    // Only running sessions stay cached; a repeat of a session's last report after its end is rare and read from the database.
    if (status === SessionStatus.ACTIVE) {
      this.sessions.set(key, { ...row, state_text: stateText, status, batch_first: first, batch_last: last, last_report: report, last_answer: text, version: row.version + 1 });
    } else {
      this.sessions.delete(key);
    }
    if (status === SessionStatus.FAILED) this.logger.warn(`session ${row.id} of order ${row.order_id} failed: ${failure}`);
    return replayAnswer(text);
  }

  private advance(row: SessionRow, report: StoredReport): PersonalisationOutcome {
    const cardholder: CardholderData = {
      cardNo: row.card_no, name: row.user_name, idNumber: row.id_card, company: row.company_name, issueDate: row.issue_date, expiryDate: row.expiry_date,
    };
    const state = stateOf(row);
    // Algorithm and SM4 MAC form come from the session, not the config: a changed setting reaches new sessions only.
    const input = { uid: row.uid, cardholder, projectMasterKey: this.keyring.masterKey(row.project_id), algorithm: state.algorithm };
    try {
      return advancePersonalisation(state, input, { lastIndex: report.apduIndex, rapdu: report.rapdu, kioskResult: report.result === '0x00' ? 'success' : 'failure' });
    } catch (error) {
      if (error instanceof PersonalisationInputError) throw new AppError(ErrorKind.UNPROCESSABLE, Code.CARD_DATA_INVALID, `uid: the session cannot continue: ${error.message}`, 'uid');
      throw error;
    }
  }

  private answerFor(row: SessionRow, outcome: PersonalisationOutcome): { answer: SessionAnswer; status: SessionStatus; batch?: ApduStep[]; failure: string | null } {
    switch (outcome.kind) {
      case 'next':
        return { answer: { ok: true, data: { userId: row.user_id, isFinished: false, cApdus: outcome.batch } }, status: SessionStatus.ACTIVE, batch: outcome.batch, failure: null };
      case 'finished':
        return { answer: { ok: true, data: { userId: row.user_id, isFinished: true, cApdus: [] } }, status: SessionStatus.FINISHED, failure: null };
      case 'failed': {
        const field = FAILURE_FIELD[outcome.reason] ?? 'rapdu';
        const error = new AppError(ErrorKind.UNPROCESSABLE, Code.PERSONALISATION_FAILED, `${field}: ${outcome.message}; personalisation failed, start again with getOpenCardApdu and a new card`, field);
        return { answer: errorAnswer(error), status: SessionStatus.FAILED, failure: `${outcome.reason}: ${outcome.message}` };
      }
    }
  }
}

function notRedeemedHere(): AppError {
  return new AppError(ErrorKind.FORBIDDEN, Code.NOT_REDEEMED_HERE, 'orderId: the pickup code of this order was not redeemed at this machine (openCardUserDetail)', 'orderId');
}
