import { startTestApp, StartTestAppOptions, TestApp, TestBus } from '@onecard/testing';
import { loadApp, loadTestSupport } from '../load-app';

type IssuanceFixtures = typeof import('../../../apps/card-issuance/test/support/fixtures');
type CampusSupport = typeof import('../../../apps/campus-card/test/support/campus');
type AttendancePlatform = typeof import('../../../apps/wage-attendance/test/support/platform-client');
type AttendanceFake = typeof import('../../../apps/wage-attendance/test/support/fake-platform');

export type RunningApp = TestApp & { bus: TestBus };
export type AppKey = 'issuance' | 'campus' | 'transit' | 'attendance';

const APP_NAMES: Record<AppKey, string> = {
  issuance: 'card-issuance',
  campus: 'campus-card',
  transit: 'transit-validation',
  attendance: 'wage-attendance',
};

/** Consumers retry a failing event after 50 ms, doubling up to 200 ms: a dead letter within a second or two. */
export const QUICK_RETRIES = { EVENT_RETRY_BASE_MS: '50', EVENT_RETRY_MAX_MS: '200' };

/**
 * Each app's own test environment (keys, secrets, the supervision platform's URL), as its own
 * e2e suites boot it. wage-attendance needs a platform to call back: the caller's fake.
 */
export function appEnv(key: AppKey, platformUrl?: string): Record<string, string> {
  switch (key) {
    case 'issuance':
      return loadTestSupport<IssuanceFixtures>('card-issuance', 'support/fixtures.ts').issuanceEnv();
    case 'campus':
      return loadTestSupport<CampusSupport>('campus-card', 'support/campus.ts').campusEnv();
    case 'attendance':
      if (!platformUrl) throw new Error('wage-attendance needs a supervision platform URL');
      return loadTestSupport<AttendancePlatform>('wage-attendance', 'support/platform-client.ts').attendanceEnv(platformUrl);
    default:
      return {};
  }
}

/** Boots one app on `bus` with its own test environment plus `extra`. */
export function startApp(key: AppKey, bus: TestBus, options: { platformUrl?: string; env?: Record<string, string> } & Omit<StartTestAppOptions, 'bus' | 'env'> = {}): Promise<RunningApp> {
  const { platformUrl, env, ...rest } = options;
  return startTestApp(loadApp(APP_NAMES[key]), { ...rest, bus, env: { ...appEnv(key, platformUrl), ...env } });
}

/** The supervision platform wage-attendance calls back, played by its own suites' fake. */
export async function startSupervisionPlatform() {
  const { FakePlatform } = loadTestSupport<AttendanceFake>('wage-attendance', 'support/fake-platform.ts');
  const { CALLBACK_SECRET } = loadTestSupport<AttendancePlatform>('wage-attendance', 'support/platform-client.ts');
  return new FakePlatform(CALLBACK_SECRET).start();
}

/** How many times the app's inbox recorded `eventId` (its consumers apply an event at most once). */
export async function inboxCount(app: TestApp, eventId: string): Promise<number> {
  const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [eventId]);
  return n;
}

/** Which of `eventIds` the app's inbox holds (one row per event its consumers applied), sorted. */
export async function inboxIds(app: TestApp, eventIds: string[]): Promise<string[]> {
  const rows: Array<{ event_id: string }> = await app.db.query(`SELECT event_id FROM inbox WHERE event_id = ANY($1::uuid[]) ORDER BY event_id`, [eventIds]);
  return rows.map((r) => r.event_id);
}

/** Outbox rows not yet on JetStream. */
export async function outboxBacklog(app: TestApp): Promise<number> {
  const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
  return n;
}

type Closable = { close(): Promise<unknown> } | { stop(): Promise<unknown> } | { down(): Promise<unknown> };

/** Stops apps, fakes and proxies together (whatever of them started). */
export async function closeAll(...things: Array<Closable | undefined>): Promise<void> {
  await Promise.all(things.map((t) => (t === undefined ? undefined : 'close' in t ? t.close() : 'stop' in t ? t.stop() : t.down())));
}
