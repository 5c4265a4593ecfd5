import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { PartitionMaintainer, partitionName } from '../src/core/partitions';
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
