import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { PartitionMaintainer, partitionDays, partitionName } from '../src/core/partitions';
import { rowCount, ValidatorClient, wireNow } from './validator-client';

const DAY = 86_400_000;

describe('transit-validation: daily history partitions', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp);
    bus = await (await new ValidatorClient(app, 'BUS-P1', 'L1').register()).login();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("moves a day's early rows out of DEFAULT when that day's partition is made (a device clock running days ahead)", async () => {
    const ahead = Date.now() + 10 * DAY;
    const log = { req_id: 'far', card_id: 'FA11FA11', time: wireNow(10 * DAY), status: 0 };
    expect((await bus.call('/card_check_log', log)).body).toMatchObject({ ret_code: 0 });
    expect(await rowCount(app, `SELECT 1 FROM card_check_log_default WHERE card_id = 'FA11FA11'`)).toBe(1);

    // The maintainer's run on the day that row belongs to.
    await new PartitionMaintainer(app.db, app.config).run(new Date(ahead - DAY));
    const day = new Date(Date.UTC(new Date(ahead).getUTCFullYear(), new Date(ahead).getUTCMonth(), new Date(ahead).getUTCDate()));
    const name = partitionName('card_check_log', day);
    expect(await rowCount(app, `SELECT 1 FROM card_check_log_default WHERE card_id = 'FA11FA11'`)).toBe(0);
    expect(await rowCount(app, `SELECT 1 FROM ${name} WHERE card_id = 'FA11FA11'`)).toBe(1);
    // Still one table to the application: the upload repeated is still one record.
    expect((await bus.call('/card_check_log', log)).body).toMatchObject({ ret_code: 0 });
    expect(await rowCount(app, `SELECT 1 FROM card_check_log WHERE card_id = 'FA11FA11'`)).toBe(1);
    const [{ attached }] = await app.db.query(
      `SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname = $1 AND c.relnamespace = to_regnamespace(current_schema())) AS attached`,
      [name],
    );
    expect(attached).toBe(true);
  });
});

describe('transit-validation: history retention', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_POSITION_RETENTION_DAYS: '2', TRANSIT_CHECK_RETENTION_DAYS: '0' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('drops days of positions older than their retention, keeps checks when theirs is 0', async () => {
    const maintainer = new PartitionMaintainer(app.db, app.config);
    const now = new Date();
    // Partitions as a maintainer running ten days ago made them, and a row in each of those days.
    await maintainer.run(new Date(now.getTime() - 10 * DAY));
    for (const ago of [10, 9, 3, 2, 0, 40]) {
      const at = new Date(now.getTime() - ago * DAY).toISOString();
      await app.db.query(`INSERT INTO location_report (device_id, received_at) VALUES ('BUS-RET', $1)`, [at]);
      await app.db.query(`INSERT INTO card_check_log (device_id, card_id, checked_at, status, outcome) VALUES ('BUS-RET', 'RET1', $1, 0, 'valid')`, [at]);
    }
    // Days -3 and -2 have no partition (none was made for them), nor has day -40: DEFAULT holds those.
    expect(await rowCount(app, `SELECT 1 FROM location_report_default WHERE device_id = 'BUS-RET'`)).toBe(3);

    await maintainer.run(now);
    const kept = await app.db.query(`SELECT received_at FROM location_report WHERE device_id = 'BUS-RET' ORDER BY received_at`);
    // Today and the two (UTC) days before it are kept, from partitions and DEFAULT alike.
    expect(kept.map((r: { received_at: Date }) => Math.round((now.getTime() - r.received_at.getTime()) / DAY))).toEqual([2, 0]);
    const partitions = async (table: string) =>
      (await app.db.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1)`, [table])).map(
        (p: { relname: string }) => p.relname,
      );
    const tenDaysAgo = partitionDays(now, 10, -10)[0];
    expect(await partitions('location_report')).not.toContain(partitionName('location_report', tenDaysAgo));
    expect(await partitions('location_report')).toContain(partitionName('location_report', partitionDays(now, 1, -1)[0]));
    expect(await partitions('card_check_log')).toContain(partitionName('card_check_log', tenDaysAgo));
    expect(await rowCount(app, `SELECT 1 FROM card_check_log WHERE device_id = 'BUS-RET'`)).toBe(6);
  });
});
