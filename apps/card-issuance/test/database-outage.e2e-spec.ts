import { eventually, startTestApp, TcpProxy, TEST_DATABASE_URL, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, issuanceEnv } from './support/fixtures';
import { KioskClient } from './support/kiosk-client';

const UNAVAILABLE = { code: 503, msg: 'database: not answering; retry shortly', success: false, status: 503, data: null };

/** Postgres away (issue 12, item 5): the kiosk's "unavailable" code within the configured bounds, never a 500 or a call held for the outage. */
describe('card-issuance: Postgres away', () => {
  let pg: TcpProxy;
  let app: TestApp & { bus: TestBus };
  let kiosk: KioskClient;

  const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const result = await call();
    return [result, Date.now() - started];
  };

  beforeAll(async () => {
    pg = await TcpProxy.start(TEST_DATABASE_URL);
    app = await startTestApp(cardIssuanceApp, {
      env: issuanceEnv({ DATABASE_URL: pg.rewrite(TEST_DATABASE_URL), DB_STATEMENT_TIMEOUT_MS: '1500', DB_CONNECT_TIMEOUT_MS: '1000' }),
    });
    kiosk = await createMachine(app, 'P1');
  });
  afterAll(async () => {
    await pg.up();
    await app?.close();
    await pg.down();
  });

  it('answers 503 at once while Postgres is unreachable', async () => {
    await pg.down();
    try {
      const [res, ms] = await timed(() => kiosk.machineDetail());
      expect(res.status).toBe(200);
      expect(res.body).toEqual(UNAVAILABLE);
      expect(ms).toBeLessThan(2000);
    } finally {
      await pg.up();
    }
    await eventually(async () => (await kiosk.machineDetail()).body.code === 0, 15_000, 200);
  });

  it('answers 503 within DB_STATEMENT_TIMEOUT_MS + 1 s while Postgres stops answering, then serves again', async () => {
    pg.stall();
    try {
      const calls = await Promise.all([0, 1, 2, 3, 4, 5].map(() => timed(() => kiosk.machineDetail())));
      for (const [res, ms] of calls) {
        expect(res.body).toEqual(UNAVAILABLE);
        expect(ms).toBeLessThan(4000);
      }
    } finally {
      await pg.up();
    }
    await eventually(async () => (await kiosk.machineDetail()).body.code === 0, 15_000, 200);
  });
});
