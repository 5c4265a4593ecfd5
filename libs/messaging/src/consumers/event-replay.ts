import { Injectable, Logger } from '@nestjs/common';
import { AppError, ErrorKind } from '@onecard/kernel';
import { decodeEvent } from './event-decoding';
import { EventHandlers } from './event-handlers';
import { DeadLetters, DeadLetterView } from './dead-letters';
import { Applied, Inbox } from './inbox';

export enum DeadLetterErrorCode {
  DEAD_LETTER_NOT_FOUND = 'DEAD_LETTER_NOT_FOUND',
  DEAD_LETTER_ALREADY_REPLAYED = 'DEAD_LETTER_ALREADY_REPLAYED',
  NO_HANDLER = 'NO_HANDLER',
  REPLAY_FAILED = 'REPLAY_FAILED',
}

/** What a replay did: `applied`, or `duplicate` when the inbox shows the event handled since. */
export type ReplayResult = DeadLetterView & { outcome: Applied };

/**
 * An operator's second chance for a dead letter, after the cause is fixed: the stored message
 * goes through the same validation and the same inbox rule as a delivery, in this process.
 */
@Injectable()
export class EventReplay {
  private readonly logger = new Logger('consumers');

  constructor(
    private readonly letters: DeadLetters,
    private readonly handlers: EventHandlers,
    private readonly inbox: Inbox,
  ) {}

  async replay(id: number): Promise<ReplayResult> {
    const letter = await this.letters.get(id);
    if (!letter) throw new AppError(ErrorKind.NOT_FOUND, DeadLetterErrorCode.DEAD_LETTER_NOT_FOUND, 'id: no such dead letter', 'id');
    if (letter.status !== 'dead') {
      throw new AppError(ErrorKind.CONFLICT, DeadLetterErrorCode.DEAD_LETTER_ALREADY_REPLAYED, `id: dead letter ${id} was replayed already`, 'id');
    }
    const handler = this.handlers.byConsumer(letter.consumer);
    if (!handler) {
      throw new AppError(ErrorKind.CONFLICT, DeadLetterErrorCode.NO_HANDLER, `id: this version of the app has no handler for consumer ${letter.consumer}`, 'id');
    }
    const decoded = await decodeEvent(handler.subject, letter.message);
    if (!decoded.event) return this.fail(id, `invalid: ${decoded.invalid}`);
    let outcome: Applied;
    try {
      outcome = await this.inbox.applyOnce(handler, decoded.event);
    } catch (error) {
      return this.fail(id, (error as Error).message);
    }
    this.logger.log(`dead letter ${id} (${letter.subject}, event ${decoded.event.eventId}) replayed: ${outcome}`);
    return { ...(await this.letters.replayed(id)), outcome };
  }

  private async fail(id: number, error: string): Promise<never> {
    await this.letters.failedAgain(id, error);
    throw new AppError(ErrorKind.UNPROCESSABLE, DeadLetterErrorCode.REPLAY_FAILED, `replay failed, still dead: ${error}`);
  }
}
