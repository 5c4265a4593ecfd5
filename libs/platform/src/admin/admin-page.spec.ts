import { ArgumentMetadata } from '@nestjs/common';
import { adminValidationPipe, InvalidInputError } from '@onecard/kernel';
import { adminPage, AdminKeysetQuery, AdminPageQuery, keysetPage, keysetWindow, pageWindow } from './admin-page';
import { EventListQuery } from './dto/event-list.query';

/** What the operator pipe makes of a query string (values as strings, as Fastify parses them). */
async function parse<T>(metatype: new () => T, query: Record<string, string | string[]>): Promise<T> {
  return (await adminValidationPipe.transform(query, { type: 'query', metatype } as ArgumentMetadata)) as T;
}

async function refusal(metatype: new () => unknown, query: Record<string, string | string[]>): Promise<{ field: string; message: string }> {
  try {
    await parse(metatype, query);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return { field: (error as InvalidInputError).field!, message: (error as InvalidInputError).message };
  }
  throw new Error(`expected ${JSON.stringify(query)} to be refused`);
}

describe('admin lists: one page shape, one query', () => {
  it('pages by offset with limit 100 and offset 0 unless asked, counting all that match', async () => {
    expect(pageWindow(await parse(AdminPageQuery, {}))).toEqual({ limit: 100, offset: 0 });
    expect(pageWindow(await parse(AdminPageQuery, { limit: '1000', offset: '25' }))).toEqual({ limit: 1000, offset: 25 });
    expect(adminPage({ limit: 2, offset: 4 }, 9, ['e', 'f'])).toEqual({ total: 9, limit: 2, offset: 4, items: ['e', 'f'] });
  });

  it('refuses a bad limit or offset naming it, the integer check first', async () => {
    expect(await refusal(AdminPageQuery, { limit: '0' })).toEqual({ field: 'limit', message: 'limit must be 1 or more' });
    expect(await refusal(AdminPageQuery, { limit: '1001' })).toEqual({ field: 'limit', message: 'limit must be at most 1000' });
    expect(await refusal(AdminPageQuery, { limit: 'abc' })).toEqual({ field: 'limit', message: 'limit must be an integer' });
    expect(await refusal(AdminPageQuery, { limit: '1.5' })).toEqual({ field: 'limit', message: 'limit must be an integer' });
    expect(await refusal(AdminPageQuery, { limit: ['1', '2'] })).toEqual({ field: 'limit', message: 'limit must be an integer' });
    expect(await refusal(AdminPageQuery, { offset: '-1' })).toEqual({ field: 'offset', message: 'offset must be 0 or more' });
    expect(await refusal(AdminPageQuery, { page: '2' })).toEqual({ field: 'page', message: 'page: unknown field' });
  });

  it('pages by key: one row more than the page is read, and only says a next page exists', () => {
    const window = keysetWindow({ limit: 2 });
    expect(window).toEqual({ limit: 2, cursor: null, fetch: 3 });
    const rows = [{ id: '9' }, { id: '7' }, { id: '4' }];
    expect(keysetPage(window, rows, (r) => r.id)).toEqual({ items: [{ id: '9' }, { id: '7' }], limit: 2, next: '7' });
    expect(keysetPage(window, rows.slice(0, 2), (r) => r.id)).toEqual({ items: [{ id: '9' }, { id: '7' }], limit: 2, next: null });
    expect(keysetPage(window, [], (r: { id: string }) => r.id)).toEqual({ items: [], limit: 2, next: null });
    expect(keysetWindow({ cursor: '7' })).toEqual({ limit: 100, cursor: '7', fetch: 101 });
  });

  it('takes a cursor only as a next from an earlier page, and no offset', async () => {
    expect(await parse(AdminKeysetQuery, { limit: '5', cursor: '123' })).toEqual(Object.assign(new AdminKeysetQuery(), { limit: 5, cursor: '123' }));
    for (const cursor of ['0', 'abc', '-1', '1'.repeat(19)]) {
      expect(await refusal(AdminKeysetQuery, { cursor })).toEqual({ field: 'cursor', message: 'cursor must be the next of an earlier page' });
    }
    expect(await refusal(AdminKeysetQuery, { limit: '0' })).toEqual({ field: 'limit', message: 'limit must be 1 or more' });
    expect(await refusal(AdminKeysetQuery, { offset: '10' })).toEqual({ field: 'offset', message: 'offset: unknown field' });
  });

  it('lets a list add its filters beside the paging (dead letters: status, subject, consumer, since)', async () => {
    const query = await parse(EventListQuery, {
      status: 'replayed', subject: 'onecard.card-issuance.card.issued', consumer: 'campus-card__onecard_card-issuance_card_issued', since: '2026-12-01T08:00:00+08:00', limit: '10',
    });
    expect({ ...query }).toEqual({ status: 'replayed', subject: 'onecard.card-issuance.card.issued', consumer: 'campus-card__onecard_card-issuance_card_issued', since: '2026-12-01T08:00:00+08:00', limit: 10 });
    const since = 'since must be an ISO 8601 time with its zone, such as 2026-12-01T08:00:00Z';
    for (const value of ['2026-12-01', '2026-12-01T08:00:00', '2026-02-30T00:00:00Z', 'yesterday']) {
      expect(await refusal(EventListQuery, { since: value })).toEqual({ field: 'since', message: since });
    }
    expect(await refusal(EventListQuery, { subject: 'onecard.>' })).toEqual({ field: 'subject', message: 'subject must be an event subject such as onecard.card-issuance.card.issued' });
    expect(await refusal(EventListQuery, { consumer: 'a b' })).toEqual({ field: 'consumer', message: 'consumer must be a consumer name such as campus-card__onecard_card-issuance_card_issued' });
    expect(await refusal(EventListQuery, { limit: '1001' })).toEqual({ field: 'limit', message: 'limit must be at most 1000' });
  });
});
