import { Events } from '@onecard/contracts';
import { eventually, TEST_ADMIN_TOKEN, TestBus } from '@onecard/testing';
import { loadTestSupport } from './load-app';
import { closeAll, QUICK_RETRIES, RunningApp, startApp, startSupervisionPlatform } from './support/apps';
import { CONSOLE_TOKEN, consoleCall, deadUrl, LiveStream, RunningConsole, startConsole } from './support/console';
import { busValidator, BusValidator, campus, kioskIssued, siteGate } from './support/devices';

type IssuanceFixtures = typeof import('../../apps/card-issuance/test/support/fixtures');
type AttendancePlatform = typeof import('../../apps/wage-attendance/test/support/platform-client');
type Terminal = typeof import('../../apps/wage-attendance/test/support/terminal-client');

const WIRE_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
const ISO_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/**
 * The operator console over four real apps (transit-validation, card-issuance, wage-attendance,
 * campus-card) on the real Postgres and NATS; tuya-bridge is not running, and every view says so.
 */
describe('operator-console: fleet, stock, backlogs, dead letters and live events over the apps', () => {
  let bus: TestBus;
  let transit: RunningApp;
  let issuance: RunningApp;
  let attendance: RunningApp;
  let campusCard: RunningApp;
  let platform: Awaited<ReturnType<typeof startSupervisionPlatform>>;
  let console_: RunningConsole;
  let validator: BusValidator;
  let machineNo: string;
  let deviceKey: string;
  const api = (method: string, path: string, options?: Parameters<typeof consoleCall>[3]) => consoleCall(console_.url, method, path, options);
  const down = (app: string) => ({ app, ok: false, error: `${app} did not answer` });
  const up = (app: string) => ({ app, ok: true, error: null });

  beforeAll(async () => {
    bus = await TestBus.create();
    platform = await startSupervisionPlatform();
    [transit, issuance, attendance, campusCard] = await Promise.all([
      startApp('transit', bus, { env: QUICK_RETRIES }),
      startApp('issuance', bus, { env: QUICK_RETRIES }),
      // A callback the platform refuses once is a dead letter at once.
      startApp('attendance', bus, { platformUrl: platform.url, env: { ...QUICK_RETRIES, CALLBACK_MAX_ATTEMPTS: '1' } }),
      startApp('campus', bus),
    ]);
    const nowhere = await deadUrl();
    console_ = await startConsole(bus, {
      CONSOLE_TRANSIT_VALIDATION_URL: transit.url,
      CONSOLE_CARD_ISSUANCE_URL: issuance.url,
      CONSOLE_WAGE_ATTENDANCE_URL: attendance.url,
      CONSOLE_CAMPUS_CARD_URL: campusCard.url,
      CONSOLE_TUYA_BRIDGE_URL: nowhere,
    });

    // A validator heartbeating with its position, a kiosk short of cards, a terminal heartbeating.
    validator = await busValidator(transit, 'BUS-CONSOLE-1');
    expect((await validator.device.heartbeat()).body.ret_code).toBe(0);
    const { createMachine } = loadTestSupport<IssuanceFixtures>('card-issuance', 'support/fixtures.ts');
    const kiosk = await createMachine(issuance, 'P1');
    machineNo = kiosk.machineNo;
    expect((await kiosk.saveMachine({ cardCount: '5', inkCount: '80%', cardRopeCover: '50' })).body.code).toBe(0);
    const { newDeviceKey } = loadTestSupport<AttendancePlatform>('wage-attendance', 'support/platform-client.ts');
    const { TerminalClient } = loadTestSupport<Terminal>('wage-attendance', 'support/terminal-client.ts');
    const terminal = await TerminalClient.create(attendance, newDeviceKey('GATE'));
    deviceKey = terminal.deviceKey;
    expect((await terminal.heartbeat('6.0011')).body.success).toBe(true);
    // Heartbeats are written in batches: wait until the apps show them.
    await eventually(async () => (await transit.admin('GET', '/admin/devices/BUS-CONSOLE-1')).body.online === true);
  }, 90_000);
  afterAll(async () => {
    await console_?.close();
    await closeAll(transit, issuance, attendance, campusCard, platform);
    await bus?.close();
  });

  it('refuses callers without CONSOLE_TOKEN, in its one error shape', async () => {
    const refusal = { error: { code: 'UNAUTHORIZED', message: 'authorization: present CONSOLE_TOKEN as a Bearer token, or log in' } };
    for (const path of ['/api/fleet', '/api/stock', '/api/backlogs', '/api/dead-letters', '/api/live']) {
      expect(await api('GET', path, { token: null })).toMatchObject({ status: 401, body: refusal });
      expect(await api('GET', path, { token: TEST_ADMIN_TOKEN })).toMatchObject({ status: 401, body: refusal });
    }
    expect(await api('POST', '/api/dead-letters/transit-validation/event/1/replay', { token: null })).toMatchObject({ status: 401, body: refusal });
    expect(await api('GET', '/api/nothing')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'path: no route GET /api/nothing' } } });
    // The page itself sends a browser without a session to the login form.
    const page = await api('GET', '/', { token: null });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/login']);
  });

  it('logs a browser in with a signed HttpOnly cookie, and only with the right token', async () => {
    const form = (token: string) => ({ token: null, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(token)}` });
    const wrong = await api('POST', '/login', form('not-the-console-token'));
    expect([wrong.status, wrong.headers.get('location'), wrong.headers.get('set-cookie')]).toEqual([303, '/login?failed=1', null]);
    const login = await api('POST', '/login', form(CONSOLE_TOKEN));
    expect([login.status, login.headers.get('location')]).toEqual([303, '/']);
    const setCookie = login.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^console_session=\d+\.[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(setCookie).not.toContain(CONSOLE_TOKEN);
    const cookie = setCookie.split(';')[0];
    expect((await api('GET', '/api/stock', { token: null, headers: { cookie } })).status).toBe(200);
    const page = await api('GET', '/', { token: null, headers: { cookie } });
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.text).toContain('<svg id="map"');
    // A forged or altered cookie is no session.
    const forged = cookie.replace(/\d+\./, `${Date.now() + 1e9}.`);
    expect((await api('GET', '/api/stock', { token: null, headers: { cookie: forged } })).status).toBe(401);
  });

  it('answers a Prometheus scrape at /metrics: its requests by route pattern and its calls to the apps', async () => {
    expect((await api('GET', '/api/backlogs')).status).toBe(200);
    const scrape = await fetch(`${console_.url}/metrics`);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(/^http_request_duration_seconds_count\{app="operator-console",method="GET",route="\/api\/backlogs",status="200"\} [1-9]/m);
    expect(text).toMatch(/^process_cpu_seconds_total\{app="operator-console"\}/m);
    expect(text).toMatch(/^onecard_outbound_requests_total\{client="wage-attendance-admin-read",outcome="ok",app="operator-console"\} [1-9]/m);
    expect(text).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('shows validators, kiosks and terminals in one fleet list, positions where known', async () => {
    const fleet = await api('GET', '/api/fleet');
    expect(fleet.status).toBe(200);
    expect(fleet.body).toEqual({
      sources: [up('transit-validation'), up('card-issuance'), up('wage-attendance')],
      devices: [
        {
          app: 'transit-validation', kind: 'validator', id: 'BUS-CONSOLE-1', name: null, group: 'L1', online: true, status: 'enabled', lastSeen: WIRE_TIME,
          lng: 114.057868, lat: 22.543099, versions: { software: 102, whitelistAll: '', whitelistAdd: '', lineWhitelist: '' }, stock: null,
        },
        {
          app: 'card-issuance', kind: 'kiosk', id: machineNo, name: '1 Test Road', group: 'P1', online: true, status: 'enabled', lastSeen: WIRE_TIME, lng: null, lat: null, versions: null,
          stock: { levels: { cardCount: 5, inkCount: 80, cardRopeCover: 50 }, low: { cardCount: true, inkCount: false, cardRopeCover: false }, reportedAt: WIRE_TIME },
        },
        { app: 'wage-attendance', kind: 'terminal', id: deviceKey, name: '闸机', group: null, online: true, status: 'bound', lastSeen: WIRE_TIME, lng: null, lat: null, versions: { software: '6.0011' }, stock: null },
      ],
    });
  });

  it('shows each kiosk\'s stock with its low-stock flags', async () => {
    expect((await api('GET', '/api/stock')).body).toEqual({
      sources: [up('card-issuance')],
      kiosks: [
        {
          machineNo, projectId: 'P1', address: '1 Test Road', online: true, status: 'enabled',
          levels: { cardCount: 5, inkCount: 80, cardRopeCover: 50 }, reported: { cardCount: '5', inkCount: '80%', cardRopeCover: '50' },
          thresholds: { cardCount: 20, inkCount: 20, cardRopeCover: 20 }, low: { cardCount: true, inkCount: false, cardRopeCover: false }, anyLow: true, reportedAt: WIRE_TIME,
        },
      ],
    });
  });

  it('shows every app\'s backlog side by side, the apps that are down as sources that did not answer', async () => {
    const { body } = await api('GET', '/api/backlogs');
    expect(body.sources).toEqual([up('card-issuance'), up('transit-validation'), up('campus-card'), up('wage-attendance'), down('tuya-bridge')]);
    expect(body.backlogs.map((b: { app: string }) => b.app)).toEqual(['card-issuance', 'transit-validation', 'campus-card', 'wage-attendance']);
    expect(body.backlogs[1]).toEqual({ app: 'transit-validation', checkedAt: ISO_TIME, items: expect.any(Array) });
    expect(body.backlogs[1].items.map((i: { name: string }) => i.name)).toEqual(['outbox', 'events_pending', 'event_dead_letters', 'card_checks_writer', 'heartbeats_writer']);
    expect(body.backlogs[2].items.map((i: { name: string }) => i.name)).toEqual(['outbox', 'events_pending', 'event_dead_letters', 'card_issues']);
    expect(body.backlogs[3].items.map((i: { name: string }) => i.name)).toEqual(['outbox', 'events_pending', 'event_dead_letters', 'callbacks', 'callback_dead_letters', 'identify_records']);
  });

  it('lists a dead letter and replays it through the app once the fault is fixed', async () => {
    // transit-validation's store refuses every whitelist write: the card.issued consumer gives up after its retries.
    await transit.db.query(`CREATE FUNCTION refuse_card() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk says no'; END $$`);
    await transit.db.query(`CREATE TRIGGER refuse_card BEFORE INSERT OR UPDATE ON whitelist_card FOR EACH ROW EXECUTE FUNCTION refuse_card()`);
    const issued = await bus.publish(Events.CardIssued, kioskIssued('U-CONSOLE'));
    const letter = await eventually(async () => {
      const { body } = await api('GET', '/api/dead-letters');
      return body.items.find((l: { kind: string; where: string }) => l.kind === 'event' && l.where === 'transit-validation__onecard_card-issuance_card_issued');
    }, 20_000);
    const { body } = await api('GET', '/api/dead-letters');
    expect(body.sources).toEqual([up('card-issuance'), up('transit-validation'), up('campus-card'), up('wage-attendance'), down('tuya-bridge')]);
    expect(letter).toEqual({
      app: 'transit-validation', kind: 'event', id: expect.stringMatching(/^\d+$/), what: Events.CardIssued, where: 'transit-validation__onecard_card-issuance_card_issued',
      reason: 'failed', error: expect.stringContaining('disk says no'), at: ISO_TIME, attempts: 5, replayable: true,
    });

    // Still failing: the app's refusal comes back in the console's shape.
    const refused = await api('POST', `/api/dead-letters/transit-validation/event/${letter.id}/replay`);
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'UPSTREAM_REFUSED', message: expect.stringMatching(/^transit-validation: replay failed, still dead: .*disk says no/) } } });

    await transit.db.query(`DROP TRIGGER refuse_card ON whitelist_card`);
    const replayed = await api('POST', `/api/dead-letters/transit-validation/event/${letter.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual({ app: 'transit-validation', kind: 'event', id: letter.id, result: expect.objectContaining({ id: Number(letter.id), status: 'replayed', outcome: 'applied', eventId: issued.eventId }) });
    expect((await api('GET', '/api/dead-letters')).body.items.filter((l: { id: string; app: string }) => l.app === 'transit-validation' && l.id === letter.id)).toEqual([]);
    // Replayed already: the app's conflict.
    expect(await api('POST', `/api/dead-letters/transit-validation/event/${letter.id}/replay`)).toMatchObject({ status: 409, body: { error: { code: 'UPSTREAM_CONFLICT' } } });
    // Kinds an app does not keep, and bad parameters, are refused before any call.
    expect(await api('POST', '/api/dead-letters/card-issuance/callback/1/replay')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'kind: card-issuance keeps no callback letters' } } });
    expect(await api('POST', '/api/dead-letters/transit-validation/dead-row/1/replay')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await api('POST', '/api/dead-letters/nowhere/event/1/replay')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^app must be one of/) } } });
    expect(await api('POST', '/api/dead-letters/tuya-bridge/event/1/replay')).toMatchObject({ status: 503, body: { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'tuya-bridge did not answer' } } });
  }, 40_000);

  it('lists a supervision-platform callback wage-attendance gave up on, and sends it again on replay', async () => {
    const { gate, tap } = await siteGate(attendance, 'DEADCB', 'ABCD0042');
    platform.mode = 'erroring';
    await tap();
    const letter = await eventually(async () =>
      (await api('GET', '/api/dead-letters')).body.items.find((l: { kind: string; where: string; what: string }) => l.kind === 'callback' && l.where === gate.deviceKey && l.what === 'identify'),
    );
    expect(letter).toEqual({ app: 'wage-attendance', kind: 'callback', id: expect.stringMatching(/^\d+$/), what: 'identify', where: gate.deviceKey, reason: 'failed', error: 'HTTP 500', at: ISO_TIME, attempts: 1, replayable: true });
    platform.mode = 'up';
    const replayed = await api('POST', `/api/dead-letters/wage-attendance/callback/${letter.id}/replay`);
    expect([replayed.status, replayed.body]).toEqual([200, { app: 'wage-attendance', kind: 'callback', id: letter.id, result: { replayed: 1 } }]);
    await eventually(() => platform.on('identify').some((c) => c.form.deviceKey === gate.deviceKey));
  });

  it('lists a card campus-card could not bind, and retries it once the user exists', async () => {
    const userCode = `CON${Date.now() % 1e8}`;
    const issued = await bus.publish(Events.CardIssued, kioskIssued(userCode));
    const letter = await eventually(async () => (await api('GET', '/api/dead-letters')).body.items.find((l: { kind: string; id: string }) => l.kind === 'card-issue' && l.id === issued.eventId));
    expect(letter).toEqual({
      app: 'campus-card', kind: 'card-issue', id: issued.eventId, what: 'card.issued', where: issued.orderId, reason: `no campus user ${userCode}`, error: `no campus user ${userCode}`,
      at: expect.any(String), attempts: null, replayable: true,
    });
    // Still no such user: the app's conflict, in the console's shape.
    expect(await api('POST', `/api/dead-letters/campus-card/card-issue/${issued.eventId}/replay`)).toMatchObject({ status: 409, body: { error: { code: 'UPSTREAM_CONFLICT', message: expect.stringMatching(/^campus-card: /) } } });
    await campus().createUser(campusCard, { userCode });
    const retried = await api('POST', `/api/dead-letters/campus-card/card-issue/${issued.eventId}/replay`);
    expect([retried.status, retried.body]).toEqual([200, { app: 'campus-card', kind: 'card-issue', id: issued.eventId, result: { eventId: issued.eventId, resolution: 'applied' } }]);
    expect((await api('GET', '/api/dead-letters')).body.items.filter((l: { id: string }) => l.id === issued.eventId)).toEqual([]);
  });

  it('streams a device event an app publishes as a Server-Sent Event', async () => {
    const live = await LiveStream.open(console_.url);
    try {
      await live.until((frame) => frame === ': ready');
      // The console reads with ephemeral ordered consumers of its own, one per live subject; the apps' are durable.
      const consumers = await (await (await bus.nc.jetstreamManager()).consumers.list(bus.stream)).next();
      const ephemeral = consumers.filter((c) => !c.config.durable_name).map((c) => c.config.filter_subject).sort();
      expect(ephemeral).toEqual([Events.DeviceStatusChanged, Events.MachineStatusChanged, Events.MachineStockLow, Events.TerminalStatusChanged].map((s) => `${bus.prefix}${s}`).sort());
      expect(consumers.filter((c) => c.config.durable_name).every((c) => c.config.ack_policy === 'explicit')).toBe(true);
      expect((await transit.admin('POST', '/admin/devices/BUS-CONSOLE-1/disable')).body.ret_code).toBe(0);
      const frame = await live.until((f) => f.includes('"status":"disabled"'));
      const [idLine, dataLine] = frame.split('\n');
      const data = JSON.parse(dataLine.replace(/^data: /, ''));
      expect(idLine).toBe(`id: ${data.seq}`);
      expect(data).toEqual({
        subject: Events.DeviceStatusChanged, app: 'transit-validation', seq: expect.any(Number),
        event: { eventId: expect.any(String), occurredAt: expect.any(String), producer: 'transit-validation', deviceId: 'BUS-CONSOLE-1', enterpriseId: '398', lineId: 'L1', status: 'disabled', at: expect.any(String) },
      });
    } finally {
      live.close();
    }
  });

  it('shows an app that is down, and never an ADMIN_TOKEN the apps refuse', async () => {
    const other = await startConsole(bus, {
      ADMIN_TOKEN: 'a-wrong-admin-token-9876543210',
      CONSOLE_TRANSIT_VALIDATION_URL: transit.url,
      CONSOLE_CARD_ISSUANCE_URL: issuance.url,
      CONSOLE_WAGE_ATTENDANCE_URL: await deadUrl(),
    });
    try {
      const fleet = await consoleCall(other.url, 'GET', '/api/fleet');
      expect(fleet.status).toBe(200);
      expect(fleet.body).toEqual({
        sources: [
          { app: 'transit-validation', ok: false, error: "transit-validation: the app refused the console's ADMIN_TOKEN" },
          { app: 'card-issuance', ok: false, error: "card-issuance: the app refused the console's ADMIN_TOKEN" },
          down('wage-attendance'),
        ],
        devices: [],
      });
      expect(fleet.text).not.toContain('a-wrong-admin-token');
    } finally {
      await other.close();
    }
  });
});
