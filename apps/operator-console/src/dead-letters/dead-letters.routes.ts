import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { APP_NAMES, AppName } from '@onecard/contracts';
import { ConsoleError, ConsoleErrorCode } from '../http/console-error';
import { DEAD_LETTER_KINDS, DeadLetterKind } from './dead-letter';
import { DeadLettersService } from './dead-letters.service';

const LETTER_ID = /^[A-Za-z0-9-]{1,64}$/;

/** GET /api/dead-letters, and POST /api/dead-letters/{app}/{kind}/{id}/replay (the app's own replay call). */
export function deadLettersRoutes(app: FastifyInstance, auth: preHandlerAsyncHookHandler, letters: DeadLettersService): void {
  app.get('/api/dead-letters', { preHandler: auth }, () => letters.deadLetters());
  app.post('/api/dead-letters/:app/:kind/:id/replay', { preHandler: auth }, (request) => {
    const params = request.params as { app: string; kind: string; id: string };
    if (!(APP_NAMES as readonly string[]).includes(params.app)) throw new ConsoleError(ConsoleErrorCode.BAD_REQUEST, `app must be one of ${APP_NAMES.join(', ')}`);
    if (!(DEAD_LETTER_KINDS as readonly string[]).includes(params.kind)) throw new ConsoleError(ConsoleErrorCode.BAD_REQUEST, `kind must be one of ${DEAD_LETTER_KINDS.join(', ')}`);
    if (!LETTER_ID.test(params.id)) throw new ConsoleError(ConsoleErrorCode.BAD_REQUEST, 'id must be 1 to 64 letters, digits or dashes');
    return letters.replay(params.app as AppName, params.kind as DeadLetterKind, params.id);
  });
}
