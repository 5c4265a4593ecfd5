import { unboundedQueryRunner } from '@onecard/platform';
import { startTestApp, TestApp } from '../../src';
import { probeApp } from './probe/probe.app';

/** Request statements are bounded (DB_STATEMENT_TIMEOUT_MS); work that rightly waits long asks for a connection that is not. */
describe('platform: statement bounds', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(probeApp, { env: { DB_STATEMENT_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('cancels a pooled statement past the bound, lets an unbounded runner wait, and gives the pool its bound back', async () => {
    await expect(app.db.query(`SELECT pg_sleep(0.6)`)).rejects.toThrow(/statement timeout/);

    const runner = await unboundedQueryRunner(app.db);
    try {
      // Past the bound and past the silent-server grace (300 ms + 1 s): neither Postgres nor the client cuts it.
      await expect(runner.query(`SELECT pg_sleep(1.5) AS slept`)).resolves.toEqual([{ slept: '' }]);
      expect(await runner.query(`SHOW statement_timeout`)).toEqual([{ statement_timeout: '0' }]);
    } finally {
      await runner.release();
    }

    // Every pooled connection, the one just released included, is bounded again.
    const settings = await Promise.all(Array.from({ length: 4 }, () => app.db.query(`SHOW statement_timeout`)));
    expect(settings.flat()).toEqual(Array.from({ length: 4 }, () => ({ statement_timeout: '300ms' })));
    await expect(app.db.query(`SELECT pg_sleep(0.6)`)).rejects.toThrow(/statement timeout/);
  });
});
