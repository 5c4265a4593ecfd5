import { request } from 'node:http';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorClient } from './validator-client';

const CARDS = 100_000;
const cardNo = (i: number) => `C${String(i).padStart(7, '0')}`;

/** Full and line lists are COPY streams: large lists arrive whole, and a validator hanging up mid-list costs nothing lasting. */
describe('transit-validation: streamed lists', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  beforeAll(async () => {
    // A small pool: streams cut short must give their connections back (or drop them), or lists would stall.
    app = await startTestApp(transitValidationApp, { env: { DB_POOL_SIZE: '4' } });
    bus = await (await new ValidatorClient(app, 'BUS-LIST', 'L7').register()).login();
    // Every third card rides line L7; every fifth is invalid.
    await app.db.query(
      `INSERT INTO whitelist_card (card_no, flag, line_ids, version, source)
       SELECT 'C' || lpad(i::text, 7, '0'), CASE WHEN i % 5 = 0 THEN 0 ELSE 1 END, CASE WHEN i % 3 = 0 THEN ARRAY['L7'] ELSE '{}' END, 1, 'test'
         FROM generate_series(0, ${CARDS - 1}) i`,
    );
    await app.db.query(`INSERT INTO line_version (line_id, version) VALUES ('L7', 1)`);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends the full list of 100,000 cards whole and in card order, and the line list with just its cards', async () => {
    const full = await bus.call('/get_card_list', { req_id: 'full', type: 1 });
    expect(full.body).toMatchObject({ req_id: 'full', ret_code: 0, version: '1' });
    expect(full.body.list).toHaveLength(CARDS);
    expect(full.body.list[0]).toEqual({ card_no: cardNo(0), flag: 0 });
    expect(full.body.list[CARDS - 1]).toEqual({ card_no: cardNo(CARDS - 1), flag: 1 });
    expect(full.body.list.every((c: { card_no: string }, i: number) => c.card_no === cardNo(i))).toBe(true);
    expect(full.text.endsWith(`],"time":${full.body.time}}`)).toBe(true);

    const line = await bus.call('/get_line_card_list', { req_id: 'line' });
    expect(line.body).toMatchObject({ req_id: 'line', ret_code: 0 });
    expect(line.body.list).toHaveLength(Math.ceil(CARDS / 3));
    expect(line.body.list.slice(0, 3)).toEqual([
      { card_no: cardNo(0), flag: 0 },
      { card_no: cardNo(3), flag: 1 },
      { card_no: cardNo(6), flag: 1 },
    ]);
  });

  it('survives validators hanging up mid-list: no COPY is left running, and later lists are whole', async () => {
    const url = new URL(`${app.url}/get_card_list`);
    const body = JSON.stringify({ token: bus.token, device_id: bus.deviceId, type: 1 });
    // More hang-ups than the pool has connections.
    for (let i = 0; i < 6; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
        req.end(body);
      });
    }
    await eventually(async () => {
      const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%whitelist_card%' AND state <> 'idle'`);
      return n === 0;
    }, 10_000);
    const full = await bus.call('/get_card_list', { req_id: 'after', type: 1 });
    expect(full.body.list).toHaveLength(CARDS);
  });
});
