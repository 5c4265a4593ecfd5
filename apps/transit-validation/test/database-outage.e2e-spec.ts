import { eventually, startTestApp, TcpProxy, TEST_DATABASE_URL, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorClient } from './validator-client';

const UNAVAILABLE = { req_id: 'tok-1', ret_code: 5003, ret_msg: 'database: not answering; retry shortly' };

/** Postgres away (issue 12, item 5): the documented 5003 within a few seconds, never a 5000 or a call held for the outage. */
describe('transit-validation: Postgres away', () => {
  let pg: TcpProxy;
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const result = await call();
    return [result, Date.now() - started];
  };
  const getToken = () => app.http('POST', '/get_token', bus.signedTokenRequest());

  beforeAll(async () => {
    pg = await TcpProxy.start(TEST_DATABASE_URL);
    // The shipped bounds: DB_STATEMENT_TIMEOUT_MS 5000, DB_CONNECT_TIMEOUT_MS 3000.
    app = await startTestApp(transitValidationApp, { env: { DATABASE_URL: pg.rewrite(TEST_DATABASE_URL) } });
    bus = await new ValidatorClient(app, 'BUS-PG1', 'L1').register();
  });
  afterAll(async () => {
    await pg.up();
    await app?.close();
    await pg.down();
  });

  it('answers get_token 5003 at once while Postgres is unreachable, and serves again when it is back', async () => {
    await pg.down();
    const [res, ms] = await timed(getToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(UNAVAILABLE);
    expect(ms).toBeLessThan(3500);
    await pg.up();
    await eventually(async () => (await getToken()).body.ret_code === 0, 15_000, 200);
  });

  it('answers 5003 within the bound while Postgres stops answering (was a hang for the whole outage), and /health says so', async () => {
    await eventually(async () => (await app.http('GET', '/health')).status === 200, 15_000, 200);
    pg.stall();
    try {
      const calls = await Promise.all([0, 1, 2, 3, 4, 5].map(() => timed(getToken)));
      for (const [res, ms] of calls) {
        expect(res.body).toEqual(UNAVAILABLE);
        expect(ms).toBeLessThan(8000);
      }
      const health = await app.http('GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body.error.database.status).toBe('down');
    } finally {
      await pg.up();
    }
    await eventually(async () => (await getToken()).body.ret_code === 0, 15_000, 200);
  }, 40_000);
});
