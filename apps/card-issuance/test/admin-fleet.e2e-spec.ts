import { eventually, startTestApp, TestApp } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, issuanceEnv } from './support/fixtures';
import { KioskClient } from './support/kiosk-client';

const WIRE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const ok = (data: unknown) => ({ code: 0, msg: expect.any(String), success: true, status: 0, data });

/** What an operator console reads of the kiosk fleet: GET /admin/machines with online state, stock and filters. */
describe('card-issuance: the kiosk fleet for operators', () => {
  let app: TestApp;
  let busy: KioskClient;
  let silent: KioskClient;
  let disabled: KioskClient;
  const list = async (query: string) => (await app.admin('GET', `/admin/machines${query}`)).body;
  const names = async (query: string) => (await list(query)).data.items.map((m: { machineNo: string }) => m.machineNo);
  const machine = (machineNo: string, fields: Record<string, unknown>) => ({
    machineNo, projectId: 'P2', address: '1 Test Road', status: 1,
    stock: { cardCount: 0, inkCount: 0, cardRopeCover: 0 }, stockReported: { cardCount: '0', inkCount: '0', cardRopeCover: '0' },
    lowStockThresholds: { cardCount: 20, inkCount: 20, cardRopeCover: 20 }, lowStock: { cardCount: false, inkCount: false, cardRopeCover: false },
    stockReportedAt: null, online: false, lastSeenAt: null, createdAt: expect.stringMatching(WIRE_TIME), updatedAt: expect.stringMatching(WIRE_TIME),
    ...fields,
  });

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
    busy = await createMachine(app, 'P2');
    silent = await createMachine(app, 'P2');
    disabled = await createMachine(app, 'P2');
    expect((await busy.saveMachine({ cardCount: '120', inkCount: '15%', cardRopeCover: 80 })).body.code).toBe(0);
    expect((await app.admin('PATCH', `/admin/machines/${disabled.machineNo}`, { status: 2 })).body.code).toBe(0);
    // A disabled kiosk may still ask for its details: it is there, though out of service.
    expect((await disabled.machineDetail()).body.code).toBe(0);
    await eventually(async () => (await app.db.query(`SELECT count(last_seen_at)::int AS n FROM machine`))[0].n === 2);
  });
  afterAll(() => app?.close());

  it('shows each kiosk with its online state, last seen time, stock levels, thresholds and low-stock flags', async () => {
    const shown = (await app.admin('GET', `/admin/machines/${busy.machineNo}`)).body;
    expect(shown).toEqual(ok(machine(busy.machineNo, {
      stock: { cardCount: 120, inkCount: 15, cardRopeCover: 80 }, stockReported: { cardCount: '120', inkCount: '15%', cardRopeCover: '80' },
      lowStock: { cardCount: false, inkCount: true, cardRopeCover: false }, stockReportedAt: expect.stringMatching(WIRE_TIME),
      online: true, lastSeenAt: expect.stringMatching(WIRE_TIME), updatedAt: expect.stringMatching(WIRE_TIME),
    })));
    expect(await list('?projectId=P2&online=false')).toEqual(ok({ total: 1, limit: 100, offset: 0, items: [machine(silent.machineNo, {})] }));
  });

  it('filters by online, lowStock and status, and pages with the total of all that match', async () => {
    expect(await names('?online=true')).toEqual([busy.machineNo, disabled.machineNo]);
    expect(await names('?lowStock=true')).toEqual([busy.machineNo]);
    expect(await names('?lowStock=false')).toEqual([silent.machineNo, disabled.machineNo]);
    expect(await names('?status=2')).toEqual([disabled.machineNo]);
    expect(await names('?online=true&status=1')).toEqual([busy.machineNo]);
    expect((await list('?limit=1&offset=1')).data).toEqual({ total: 3, limit: 1, offset: 1, items: [machine(silent.machineNo, {})] });
    expect((await list('?online=true&limit=1&offset=7')).data).toEqual({ total: 2, limit: 1, offset: 7, items: [] });
    expect((await list('?projectId=P1')).data).toEqual({ total: 0, limit: 100, offset: 0, items: [] });
    expect((await list('?limit=1000')).data).toMatchObject({ total: 3, limit: 1000, offset: 0 });
  });

  it('refuses a bad filter naming it', async () => {
    const refused = (msg: string) => ({ code: 400, msg, success: false, status: 400, data: null });
    expect(await list('?online=1')).toEqual(refused('online must be true or false'));
    expect(await list('?lowStock=yes')).toEqual(refused('lowStock must be true or false'));
    expect(await list('?status=3')).toEqual(refused('status must be at most 2'));
    expect(await list('?limit=1001')).toEqual(refused('limit must be at most 1000'));
    expect(await list('?limit=0')).toEqual(refused('limit must be 1 or more'));
    expect(await list('?offset=-1')).toEqual(refused('offset must be 0 or more'));
  });
});
