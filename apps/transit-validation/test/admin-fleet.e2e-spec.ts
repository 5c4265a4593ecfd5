import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { DeadRows } from '../src/core/dead-rows';
import { ValidatorClient } from './validator-client';

const WIRE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What an operator console reads of the validator fleet: GET /admin/devices (paged, filtered) and GET /admin/backlog. */
describe('transit-validation: the fleet for operators', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  const list = async (query: string) => (await app.admin('GET', `/admin/devices${query}`)).body;

  /** A device as the list shows it, defaults as registered. */
  const device = (deviceId: string, lineId: string, fields: Record<string, unknown>) => ({
    device_id: deviceId, enterprise_id: '398', line_id: lineId, check_mode: 0, check_card_mode: 0, qrcode_mode: 1, card_mode: 1, white_mode: 1,
    is_line_white: 0, check_start_time: null, check_end_time: null, heartbeat_interval: 5, heartbeat_interval_from: 'default',
    disabled: false, disabled_time: null, online: false, last_seen_time: null, lng: null, lat: null, speed: null, course: null, software_ver: null,
    lng_raw: null, lat_raw: null, speed_raw: null, course_raw: null, software_ver_raw: null, version_code_all: null, version_code_add: null, line_version_code_all: null,
    ...fields,
  });
  const heard = {
    online: true, last_seen_time: expect.stringMatching(WIRE_TIME), lng: 114.057868, lat: 22.543099, speed: 32.5, course: 90, software_ver: 102,
    version_code_all: '', version_code_add: '', line_version_code_all: '',
  };

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp);
    const onL1 = await (await new ValidatorClient(app, 'BUS-A1', 'L1').register()).login();
    await new ValidatorClient(app, 'BUS-A2', 'L1').register();
    const onL2 = await (await new ValidatorClient(app, 'BUS-A3', 'L2').register()).login();
    expect((await onL1.heartbeat({ version_code_all: '' })).body.ret_code).toBe(0);
    expect((await onL2.heartbeat()).body.ret_code).toBe(0);
    await eventually(async () => (await app.db.query(`SELECT count(*)::int AS n FROM device_status`))[0].n === 2);
    await app.admin('POST', '/admin/devices/BUS-A3/disable');
  });
  afterAll(() => app?.close());

  it('lists the devices of a line with last position, online state, heartbeat and whitelist versions, and how many match', async () => {
    expect(await list('?line_id=L1')).toEqual({
      ret_code: 0, ret_msg: '成功', total: 2, limit: 100, offset: 0,
      items: [device('BUS-A1', 'L1', heard), device('BUS-A2', 'L1', {})],
    });
  });

  it('filters by online, disabled and enterprise, and pages in device_id order with the total of all that match', async () => {
    const page = (total: number, items: unknown[], limit = 100, offset = 0) => ({ ret_code: 0, ret_msg: '成功', total, limit, offset, items });
    expect((await list('?online=true')).items.map((d: { device_id: string }) => d.device_id)).toEqual(['BUS-A1', 'BUS-A3']);
    expect(await list('?online=false')).toEqual(page(1, [device('BUS-A2', 'L1', {})]));
    expect(await list('?disabled=true')).toEqual(page(1, [device('BUS-A3', 'L2', { ...heard, disabled: true, disabled_time: expect.stringMatching(WIRE_TIME) })]));
    expect((await list('?online=true&disabled=false')).items.map((d: { device_id: string }) => d.device_id)).toEqual(['BUS-A1']);
    expect(await list('?enterprise_id=399')).toEqual(page(0, []));
    expect(await list('?limit=1&offset=1')).toEqual(page(3, [device('BUS-A2', 'L1', {})], 1, 1));
    expect(await list('?limit=2&offset=5')).toEqual(page(3, [], 2, 5));
    expect(await list('?limit=1000')).toMatchObject({ total: 3, limit: 1000, offset: 0 });
  });

  it('refuses a bad filter naming it, in the envelope', async () => {
    expect(await list('?online=yes')).toEqual({ ret_code: 1001, ret_msg: 'online must be true or false' });
    expect(await list('?limit=1001')).toEqual({ ret_code: 1001, ret_msg: 'limit must be at most 1000' });
    expect(await list('?limit=0')).toEqual({ ret_code: 1001, ret_msg: 'limit must be 1 or more' });
    expect(await list('?limit=many')).toEqual({ ret_code: 1001, ret_msg: 'limit must be an integer' });
    expect(await list('?offset=-1')).toEqual({ ret_code: 1001, ret_msg: 'offset must be 0 or more' });
  });

  it('pages the dead rows newest first by key: next is the cursor of the following page, null after the last', async () => {
    // As a batched writer sets rows aside when Postgres refuses them.
    await app.get(DeadRows).bury('heartbeats', [{ deviceId: 'BUS-X1' }, { deviceId: 'BUS-X2' }], '22P02: invalid input syntax for type json');
    await app.get(DeadRows).bury('card_checks', [{ deviceId: 'BUS-X3' }], '22P02: invalid input syntax for type json');
    const dead = (deviceId: string, writer: string) => ({ id: expect.stringMatching(/^\d+$/), writer, reason: '22P02: invalid input syntax for type json', row: { deviceId }, failed_time: expect.stringMatching(WIRE_TIME) });
    const first = (await app.admin('GET', '/admin/dead-rows?limit=2')).body;
    expect(first).toEqual({ ret_code: 0, ret_msg: '成功', items: [dead('BUS-X3', 'card_checks'), dead('BUS-X2', 'heartbeats')], limit: 2, next: first.items[1].id });
    expect((await app.admin('GET', `/admin/dead-rows?limit=2&cursor=${first.next}`)).body).toEqual({ ret_code: 0, ret_msg: '成功', items: [dead('BUS-X1', 'heartbeats')], limit: 2, next: null });
    expect((await app.admin('GET', '/admin/dead-rows?writer=heartbeats&limit=1')).body).toEqual({ ret_code: 0, ret_msg: '成功', items: [dead('BUS-X2', 'heartbeats')], limit: 1, next: first.items[1].id });
    expect((await app.admin('GET', '/admin/dead-rows?writer=heartbeats&limit=2')).body).toMatchObject({ next: null });
    expect((await app.admin('GET', '/admin/dead-rows?cursor=first')).body).toEqual({ ret_code: 1001, ret_msg: 'cursor must be the next of an earlier page' });
    expect((await app.admin('GET', '/admin/dead-rows?offset=1')).body).toEqual({ ret_code: 1001, ret_msg: 'offset: unknown field' });
  });

  it("shows each batched writer's queue on /admin/backlog (this replica's), after the platform's sources", async () => {
    const res = await app.admin('GET', '/admin/backlog');
    const writer = (name: string) => ({ name, scope: 'replica', pending: 0, oldestAt: null, oldestAgeSeconds: null, error: null, detail: null });
    expect(res.body).toEqual({
      ret_code: 0, ret_msg: '成功', app: 'transit-validation', checkedAt: expect.stringMatching(ISO),
      items: [
        expect.objectContaining({ name: 'outbox', pending: expect.any(Number) }),
        expect.objectContaining({ name: 'events_pending', error: null }),
        expect.objectContaining({ name: 'event_dead_letters', pending: 0 }),
        ...res.body.items.slice(3).map((i: { name: string }) => writer(i.name)),
      ],
    });
    expect(res.body.items.slice(3).map((i: { name: string }) => i.name).sort()).toEqual(['card_checks_writer', 'heartbeats_writer']);
  });
});
