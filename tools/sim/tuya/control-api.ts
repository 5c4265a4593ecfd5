import type { ServerResponse } from 'node:http';
import type { FakeTuyaCloud } from './fake-tuya-cloud';
import type { Fault } from './faults';
import type { FakeCard, FakePerson, SeedOptions } from './personnel-store';

/**
 * The fake's control API (plain JSON, unsigned; the fake listens on loopback):
 *
 *   GET    /control/state                                  counts, tokens issued, pending faults, outage
 *   GET    /control/requests?since=N                       the request log after sequence N
 *   POST   /control/seed            {projectId, persons, cardsPerPerson, disabledEvery?, frozenEvery?}
 *   PUT    /control/projects/{p}/persons/{personId}        {name?, enabled?, …}  add or change a person
 *   DELETE /control/projects/{p}/persons/{personId}        remove a person and their cards
 *   PUT    /control/projects/{p}/cards/{personCardId}      {personId?, cardNo?, cardStatus?, …}  add or change a card
 *   DELETE /control/projects/{p}/cards/{personCardId}
 *   GET    /control/projects/{p}/persons/{personId}        the person and their cards as stored
 *   POST   /control/faults          {kind, count?, path?, delayMs?, retryAfterS?}   see faults.ts
 *   DELETE /control/faults                                 clear faults and any outage
 *   POST   /control/outage          {mode: "http-503" | "reset" | "off"}
 *   POST   /control/tokens/expire   {afterRequests?}       expire every token now, or after N more API requests
 *   PUT    /control/tokens/ttl      {seconds}              lifetime of tokens issued from now on
 */
export function handleControl(fake: FakeTuyaCloud, method: string, url: URL, body: Buffer, res: ServerResponse): void {
  const ok = (result: unknown = { ok: true }) => fake.answer(res, 200, result);
  const fail = (status: number, message: string) => fake.answer(res, status, { error: message });
  let input: Record<string, unknown> = {};
  try {
    if (body.length > 0) input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return fail(400, 'body is not JSON');
  }
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // ['control', …]
  const route = `${method} /${parts.slice(1).map((p, i) => (parts[1] === 'projects' && (i === 1 || i === 3) ? ':id' : p)).join('/')}`;
  try {
    switch (route) {
      case 'GET /state':
        return ok({ projects: fake.store.counts(), tokensIssued: fake.tokens.issuedCount, tokenTtlS: fake.tokens.ttlS, faults: fake.faults.pending(), outage: fake.faults.outage ?? 'off' });
      case 'GET /requests': {
        const since = Number(url.searchParams.get('since') ?? 0);
        return ok(fake.log.filter((r) => r.seq > since));
      }
      case 'POST /seed':
        fake.store.seed(input as unknown as SeedOptions);
        return ok({ projects: fake.store.counts() });
      case 'PUT /projects/:id/persons/:id':
        return ok(fake.store.putPerson(parts[2], parts[4], input as Partial<FakePerson>));
      case 'DELETE /projects/:id/persons/:id':
        return fake.store.removePerson(parts[2], parts[4]) ? ok() : fail(404, 'no such person');
      case 'GET /projects/:id/persons/:id': {
        const person = fake.store.person(parts[2], parts[4]);
        return person ? ok({ ...person, cards: fake.store.cardsOf(parts[2], parts[4]) }) : fail(404, 'no such person');
      }
      case 'PUT /projects/:id/cards/:id':
        return ok(fake.store.putCard(parts[2], parts[4], input as Partial<FakeCard>));
      case 'DELETE /projects/:id/cards/:id':
        return fake.store.removeCard(parts[2], parts[4]) ? ok() : fail(404, 'no such card');
      case 'POST /faults':
        fake.faults.add({ ...(input as unknown as Fault), remaining: Number(input.count ?? 1) });
        return ok({ faults: fake.faults.pending() });
      case 'DELETE /faults':
        fake.faults.clear();
        return ok();
      case 'POST /outage':
        if (!['http-503', 'reset', 'off'].includes(String(input.mode))) return fail(400, 'mode must be http-503, reset or off');
        fake.faults.outage = input.mode === 'off' ? undefined : (input.mode as 'http-503' | 'reset');
        return ok({ outage: input.mode });
      case 'POST /tokens/expire':
        if (input.afterRequests !== undefined) {
          fake.tokens.expireAfter(Number(input.afterRequests));
          return ok({ expiresAfterRequests: Number(input.afterRequests) });
        }
        return ok({ expired: fake.tokens.expireAll(Date.now()) });
      case 'PUT /tokens/ttl':
        if (!Number.isInteger(input.seconds) || Number(input.seconds) < 1) return fail(400, 'seconds must be a positive integer');
        fake.tokens.ttlS = Number(input.seconds);
        return ok({ tokenTtlS: fake.tokens.ttlS });
      default:
        return fail(404, `no control route ${method} ${url.pathname}`);
    }
  } catch (error) {
    return fail(400, (error as Error).message);
  }
}
