import { callbackLetter, cardIssueLetter, deadRowLetter, eventLetter } from './dead-letters.normalise';

describe('dead letter normalisers', () => {
  it('makes a platform dead letter replayable by its id, naming subject and consumer', () => {
    expect(
      eventLetter('wage-attendance', {
        id: 7, consumer: 'wage-attendance__onecard_campus-card_card_status-changed', subject: 'onecard.campus-card.card.status-changed', eventId: 'e1',
        reason: 'invalid', error: 'cardId must match', deliveries: 1, deadAt: '2026-12-05T01:00:00.000Z',
      }),
    ).toEqual({
      app: 'wage-attendance', kind: 'event', id: '7', what: 'onecard.campus-card.card.status-changed', where: 'wage-attendance__onecard_campus-card_card_status-changed',
      reason: 'invalid', error: 'cardId must match', at: '2026-12-05T01:00:00.000Z', attempts: 1, replayable: true,
    });
  });

  it('makes a dead callback replayable, at its last attempt', () => {
    expect(callbackLetter({ id: '12', deviceKey: 'T1', kind: 'identify', path: '/autosos/callback/otherDevices/identify', attempts: 16, lastError: 'HTTP 500', createdAt: '2026-12-05T01:00:00.000Z', lastAttemptAt: '2026-12-05T02:00:00.000Z' })).toEqual({
      app: 'wage-attendance', kind: 'callback', id: '12', what: 'identify', where: 'T1', reason: 'failed', error: 'HTTP 500', at: '2026-12-05T02:00:00.000Z', attempts: 16, replayable: true,
    });
    expect(callbackLetter({ id: '13', deviceKey: 'T1', kind: 'identify', path: '/p', attempts: 0, lastError: null, createdAt: '2026-12-05T01:00:00.000Z', lastAttemptAt: null }).at).toBe('2026-12-05T01:00:00.000Z');
  });

  it('makes an open card issue retryable by its event id', () => {
    expect(cardIssueLetter({ eventId: 'a-b', orderId: 'O1', userCode: 'U1', cardId: 'C1', reason: 'no campus user U1', receivedAt: '2026-12-05 10:00:00' })).toEqual({
      app: 'campus-card', kind: 'card-issue', id: 'a-b', what: 'card.issued', where: 'O1', reason: 'no campus user U1', error: 'no campus user U1', at: '2026-12-05 10:00:00', attempts: null, replayable: true,
    });
  });

  it('shows a row Postgres refused as not replayable', () => {
    expect(deadRowLetter({ id: 3, writer: 'heartbeats', reason: 'value too long', failed_time: '2026-12-05 10:00:00' })).toEqual({
      app: 'transit-validation', kind: 'dead-row', id: '3', what: 'heartbeats', where: null, reason: 'value too long', error: 'value too long', at: '2026-12-05 10:00:00', attempts: null, replayable: false,
    });
  });
});
