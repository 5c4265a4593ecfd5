import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';

/**
 * Replicas of an app started at the same moment on a fresh schema: one migrates, the others
 * wait for it and find nothing left to run (the platform's migrateExclusively; transit-validation
 * has the most migrations).
 */
describe('transit-validation: replicas starting together migrate once', () => {
  const apps: Array<TestApp & { bus: TestBus }> = [];

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('starts three replicas at once on one new schema', async () => {
    const schema = `transit_validation_r${randomBytes(4).toString('hex')}`;
    const first = startTestApp(transitValidationApp, { env: { DB_SCHEMA: schema } });
    const others = [1, 2].map(() => startTestApp(transitValidationApp, { env: { DB_SCHEMA: schema }, keepSchema: true }));
    const started = await Promise.allSettled([first, ...others]);
    for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const ran = await apps[0].db.query(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name`);
    expect(ran.length).toBeGreaterThan(3);
    for (const row of ran) expect(row.n).toBe(1);
    for (const app of apps) expect((await app.http('GET', '/health')).status).toBe(200);
  });
});
