import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { tuyaBridgeApp } from '../src/app.definition';
import { TuyaBridgeConfig } from '../src/config';
import { signTuyaRequest } from '../src/tuya-api/tuya-signature';
import { TuyaFake } from './support/tuya-fake';

const CLIENT_ID = 'e2eclient7q4mwyw3cfp';
const SECRET = 'e2e5eed2b4a9e8d7c6b5a49382716f0a';
const PROJECT = '1424615984265764';
const LIST = '/v1.0/iot-02/building/personnel-cards';
/** The fake's seeded ids: person i and its cards (2 per person). */
const personId = (i: number) => String(1_572_065_489_755_000 + i);
const cardId = (i: number, c: number) => String(1_567_452_642_714_000 + (i - 1) * 2 + c);

describe('tuya-bridge: syncing from Tuya Cloud (the fake, in its own process)', () => {
  let fake: TuyaFake;
  let app: TestApp<TuyaBridgeConfig> & { bus: TestBus };

  beforeAll(async () => {
    fake = await TuyaFake.start({ clientId: CLIENT_ID, secret: SECRET });
    // 23 persons, 2 cards each; persons 5, 10, 15, 20 disabled; every 3rd card frozen.
    await fake.seed(PROJECT, 23, 2, { disabledEvery: 5, frozenEvery: 3 });
    app = await startTestApp(tuyaBridgeApp, {
      env: {
        TUYA_ENDPOINT: fake.url, TUYA_CLIENT_ID: CLIENT_ID, TUYA_CLIENT_SECRET: SECRET, TUYA_PROJECT_IDS: PROJECT,
        TUYA_SYNC_INTERVAL_S: '0', TUYA_PAGE_SIZE: '5', TUYA_TIMEOUT_MS: '2000', TUYA_MAX_ATTEMPTS: '3',
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  const local = (path: string) => app.admin('GET', path);
  const holdCards = async (i: number) => (await local(`${LIST}/actions/hold-cards?projectId=${PROJECT}&personId=${personId(i)}`)).body.result;

  it('syncs every person over several pages and each one\'s cards, announcing each card once', async () => {
    const events = app.bus.collect(Events.TuyaCardChanged);
    const since = await fake.lastSeq();
    const res = await app.admin('POST', '/admin/sync');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true, t: expect.any(Number), tid: expect.stringMatching(/^[0-9a-f]{32}$/),
      result: {
        syncId: 1, trigger: 'operator', outcome: 'succeeded', startedAt: expect.any(String), finishedAt: expect.any(String),
        persons: 23, cards: 46, created: 46, updated: 0, deleted: 0, requests: 5 + 23, error: null,
      },
    });
    // 19 enabled persons at 5 a page, then the 4 disabled on one page; then one hold-cards per person.
    const seen = (await fake.requests(since)).filter((r) => r.path !== '/v1.0/token');
    expect(seen.filter((r) => r.path === LIST)).toHaveLength(5);
    expect(seen.filter((r) => r.path.endsWith('/hold-cards'))).toHaveLength(23);
    expect(seen.every((r) => r.outcome === 'ok')).toBe(true);

    const got = await events.waitFor(46);
    expect(got).toHaveLength(46);
    expect(new Set(got.map((e) => e.personCardId)).size).toBe(46);
    expect(got.every((e) => e.change === 'created' && e.reason === 'card-added' && e.projectId === PROJECT && e.producer === 'tuya-bridge')).toBe(true);
    // Card 3 (person 2) is frozen in Tuya; person 5 is disabled, so both of theirs are frozen for consumers.
    expect(got.find((e) => e.personCardId === cardId(2, 1))).toMatchObject({ personId: personId(2), cardNo: '45450003', cardStatus: 2 });
    expect(got.filter((e) => e.personId === personId(5)).map((e) => e.cardStatus)).toEqual([2, 2]);
    expect(got.find((e) => e.personCardId === cardId(1, 1))).toMatchObject({ cardStatus: 1 });

    const [{ persons, cards }] = await app.db.query(`SELECT (SELECT count(*)::int FROM person) AS persons, (SELECT count(*)::int FROM person_card) AS cards`);
    expect({ persons, cards }).toEqual({ persons: 23, cards: 46 });
    const health = await app.http('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.details.tuya_sync).toMatchObject({ status: 'up', sync: 'fresh', lastGoodSync: { syncId: 1, persons: 23, cards: 46, finishedAt: expect.any(String) } });
  });

  it('publishes nothing when nothing changed in Tuya', async () => {
    const events = app.bus.collect(Events.TuyaCardChanged);
    const res = await app.admin('POST', '/admin/sync');
    expect(res.body.result).toMatchObject({ outcome: 'succeeded', persons: 23, cards: 46, created: 0, updated: 0, deleted: 0 });
    expect(await events.settle(800)).toEqual([]);
    expect(await app.bus.stored(Events.TuyaCardChanged)).toHaveLength(46);
  });

  it('sees a card frozen in Tuya: one card.changed on NATS, and the local API shows it frozen', async () => {
    expect((await holdCards(1)).card_list.map((c: any) => c.card_status)).toEqual([1, 1]);
    await fake.putCard(PROJECT, cardId(1, 1), { cardStatus: 2 });
    const events = app.bus.collect(Events.TuyaCardChanged);
    const res = await app.admin('POST', '/admin/sync');
    expect(res.body.result).toMatchObject({ outcome: 'succeeded', created: 0, updated: 1, deleted: 0 });
    expect(await events.waitFor(1)).toEqual([
      {
        eventId: expect.any(String), occurredAt: expect.any(String), producer: 'tuya-bridge',
        projectId: PROJECT, personId: personId(1), personCardId: cardId(1, 1), cardNo: '45450001', cardStatus: 2, change: 'updated', reason: 'card-status',
      },
    ]);
    expect(await events.settle(300)).toHaveLength(1);

    const cards = await holdCards(1);
    expect(cards).toMatchObject({ all_num: 2, freeze_num: 1, normal_num: 1 });
    expect(cards.card_list[0]).toMatchObject({ person_card_id: cardId(1, 1), card_no: '45450001', card_status: 2, report_lost_time: expect.any(Number) });
    const frozenHolders = await local(`${LIST}?projectId=${PROJECT}&cardStatus=2&personId=${personId(1)}`);
    expect(frozenHolders.body.result).toMatchObject({ total: 1, list: [{ person_id: personId(1), hold_card_num: 2 }] });
  });

  it('sees a person disabled, a card removed and a person removed', async () => {
    await fake.putPerson(PROJECT, personId(4), { enabled: 2 });
    await fake.control('DELETE', `/projects/${PROJECT}/cards/${cardId(6, 2)}`);
    await fake.control('DELETE', `/projects/${PROJECT}/persons/${personId(7)}`);
    const events = app.bus.collect(Events.TuyaCardChanged);
    const res = await app.admin('POST', '/admin/sync');
    expect(res.body.result).toMatchObject({ outcome: 'succeeded', persons: 22, cards: 43, created: 0, updated: 2, deleted: 3 });
    const got = await events.waitFor(5);
    expect(got.map((e) => [e.personId, e.personCardId, e.change, e.cardStatus, e.reason])).toEqual([
      [personId(4), cardId(4, 1), 'updated', 2, 'person-disabled'],
      [personId(4), cardId(4, 2), 'updated', 2, 'person-disabled'],
      [personId(6), cardId(6, 2), 'deleted', 2, 'card-removed'],
      [personId(7), cardId(7, 1), 'deleted', 1, 'person-removed'],
      [personId(7), cardId(7, 2), 'deleted', 1, 'person-removed'],
    ]);
    expect((await local(`${LIST}/actions/personnel-detail?projectId=${PROJECT}&personId=${personId(7)}`)).body).toMatchObject({ success: false, code: 1000 });
    expect((await local(`${LIST}?projectId=${PROJECT}&enabled=2&pageSize=50`)).body.result.total).toBe(5);
  });

  it('recovers a token that expires mid-sync without failing the sync, and renews one about to expire before using it', async () => {
    const since = await fake.lastSeq();
    await fake.control('POST', '/tokens/expire', { afterRequests: 4 });
    const res = await app.admin('POST', '/admin/sync');
    expect(res.body.result).toMatchObject({ outcome: 'succeeded', created: 0, updated: 0, deleted: 0 });
    const seen = await fake.requests(since);
    const refused = seen.findIndex((r) => r.outcome === 'refused 1010 token is expired');
    expect(refused).toBe(4);
    // One new grant, then the refused call again, and the rest of the sync.
    expect(seen.slice(refused + 1, refused + 3).map((r) => [r.path, r.outcome])).toEqual([['/v1.0/token', 'ok'], [seen[refused].path, 'ok']]);
    expect(seen.filter((r) => r.path === '/v1.0/token')).toHaveLength(1);
    expect(seen.slice(refused + 1).every((r) => r.outcome === 'ok')).toBe(true);

    // Tokens of 3 s from now on: renewed once less than a fifth of their life is left, never refused.
    await fake.control('PUT', '/tokens/ttl', { seconds: 3 });
    await fake.control('POST', '/tokens/expire', {});
    await app.admin('POST', '/admin/sync');
    await new Promise((r) => setTimeout(r, 2600));
    const before = await fake.lastSeq();
    expect((await app.admin('POST', '/admin/sync')).body.result.outcome).toBe('succeeded');
    const next = await fake.requests(before);
    expect(next[0]).toMatchObject({ path: '/v1.0/token', outcome: 'ok' });
    expect(next.some((r) => r.outcome.startsWith('refused'))).toBe(false);
    // Back to 2 h tokens, and the bridge holding one.
    await fake.control('PUT', '/tokens/ttl', { seconds: 7200 });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await app.admin('POST', '/admin/sync')).body.result.outcome).toBe('succeeded');
  });

  it('is refused by the fake when a request is wrongly signed (the fake checks every byte)', async () => {
    const path = `${LIST}?projectId=${PROJECT}&page=1`;
    const signed = signTuyaRequest({ clientId: CLIENT_ID, secret: SECRET, t: String(Date.now()), nonce: 'n-e2e-1', method: 'GET', pathWithQuery: '/v1.0/token?grant_type=1' });
    const token: any = await (await fetch(`${fake.url}/v1.0/token?grant_type=1`, { headers: { ...signed } })).json();
    expect(token).toMatchObject({ success: true, result: { access_token: expect.any(String), expire_time: 7200 } });
    const headers = (nonce: string, secret = SECRET) =>
      signTuyaRequest({ clientId: CLIENT_ID, secret, accessToken: token.result.access_token, t: String(Date.now()), nonce, method: 'GET', pathWithQuery: path }) as unknown as Record<string, string>;
    expect(await (await fetch(`${fake.url}${path}`, { headers: headers('n-e2e-2') })).json()).toMatchObject({ success: true, result: { total: 17 } });
    const oneByteOff = `${SECRET.slice(0, -1)}b`;
    expect(await (await fetch(`${fake.url}${path}`, { headers: headers('n-e2e-3', oneByteOff) })).json()).toMatchObject({ success: false, code: 1004, msg: 'sign invalid' });
    // Signed for page=1, sent for page=2.
    expect(await (await fetch(`${fake.url}${path.replace('page=1', 'page=2')}`, { headers: headers('n-e2e-4') })).json()).toMatchObject({ success: false, code: 1004 });
  });

  it('keeps serving the last good copy while Tuya is down, says so on /health, and recovers at the next sync', async () => {
    const before = await local(`${LIST}?projectId=${PROJECT}&pageSize=100`);
    await fake.control('POST', '/outage', { mode: 'http-503' });
    const failed = await app.admin('POST', '/admin/sync');
    expect(failed.status).toBe(200);
    expect(failed.body).toEqual({
      success: false, t: expect.any(Number), tid: expect.any(String), code: 500,
      msg: expect.stringMatching(/^sync \d+ failed after 1 call to Tuya; the last good copy stays: GET personnel-cards: HTTP 503 after 3 attempts$/),
    });
    expect(await local(`${LIST}?projectId=${PROJECT}&pageSize=100`)).toMatchObject({ body: { success: true, result: before.body.result } });

    const health = await app.http('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.details.tuya_sync).toEqual({
      status: 'down', sync: 'stale',
      lastGoodSync: { syncId: expect.any(Number), finishedAt: expect.any(String), persons: 22, cards: 43 },
      latestFailure: { syncId: expect.any(Number), finishedAt: expect.any(String), reason: 'GET personnel-cards: HTTP 503 after 3 attempts' },
    });
    expect(await app.http('GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'degraded', checks: { tuya_sync: { status: 'down', sync: 'stale' } } } });

    // Connections reset, then rate limits: retried within one sync's calls.
    await fake.control('POST', '/outage', { mode: 'reset' });
    expect((await app.admin('POST', '/admin/sync')).body.msg).toMatch(/GET personnel-cards: network error \(3 attempts\)$/);
    await fake.control('POST', '/outage', { mode: 'off' });
    await fake.control('POST', '/faults', { kind: 'http-429', count: 2, path: LIST });
    await fake.control('POST', '/faults', { kind: 'rate-limit', count: 2, path: `${LIST}/actions/hold-cards` });
    const recovered = await app.admin('POST', '/admin/sync');
    expect(recovered.body.result).toMatchObject({ outcome: 'succeeded', created: 0, updated: 0, deleted: 0 });
    await eventually(async () => (await app.http('GET', '/health')).status === 200);
    expect((await app.http('GET', '/health')).body.details.tuya_sync).toMatchObject({ status: 'up', sync: 'fresh', lastGoodSync: { syncId: recovered.body.result.syncId } });
    const runs = await app.admin('GET', '/admin/sync?limit=3');
    expect(runs.body.result).toEqual({ total: expect.any(Number), limit: 3, offset: 0, items: [recovered.body.result, expect.objectContaining({ outcome: 'failed' }), expect.objectContaining({ outcome: 'failed' })] });
    const total = runs.body.result.total;
    const [{ n, first }] = await app.db.query(`SELECT count(*)::int AS n, min(id)::int AS first FROM sync_run`);
    expect(total).toBe(n);
    expect((await app.admin('GET', `/admin/sync?limit=2&offset=${total - 1}`)).body.result).toEqual({ total, limit: 2, offset: total - 1, items: [expect.objectContaining({ syncId: first })] });
  });

  // Found by the bad-input drill: `limit=abc` (or given twice) was refused as "not greater than 500".
  it('refuses a sync history limit that is not an integer as such, in Tuya\'s envelope', async () => {
    const refusal = (msg: string) => ({ success: false, t: expect.any(Number), tid: expect.stringMatching(/^[0-9a-f]{32}$/), code: 1109, msg });
    for (const limit of ['abc', '1.5', '1e2', '1&limit=2']) {
      const res = await app.admin('GET', `/admin/sync?limit=${limit}`);
      expect({ limit, status: res.status, body: res.body }).toEqual({ limit, status: 200, body: refusal('limit must be an integer') });
    }
    expect((await app.admin('GET', '/admin/sync?limit=0')).body).toEqual(refusal('limit must be 1 or more'));
    expect((await app.admin('GET', '/admin/sync?limit=1001')).body).toEqual(refusal('limit must be at most 1000'));
    expect((await app.admin('GET', '/admin/sync?offset=-1')).body).toEqual(refusal('offset must be 0 or more'));
    const one = (await app.admin('GET', '/admin/sync?limit=1')).body;
    expect(one).toEqual({ success: true, t: expect.any(Number), tid: expect.stringMatching(/^[0-9a-f]{32}$/), result: { total: expect.any(Number), limit: 1, offset: 0, items: [expect.objectContaining({ syncId: expect.any(Number) })] } });
  });
});
