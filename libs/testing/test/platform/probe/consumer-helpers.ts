import { EventSubject } from '@onecard/contracts';
import { TestApp } from '../../../src';

/** Short waits between deliveries, so a dead letter takes seconds, not minutes. */
export const RETRY_BASE_MS = 200;
export const retryEnv = { EVENT_RETRY_BASE_MS: String(RETRY_BASE_MS), EVENT_RETRY_MAX_MS: '2000', DB_POOL_SIZE: '8' };

/** A CardIssued payload but for its orderId. */
export const issued = {
  orderType: 1 as const, userId: 'U-1', userName: '张三', companyId: 'C-1', companyName: 'ACME',
  projectId: 'P-1', machineNo: 'K-1', uid: '04A1B2C3', cardNo: '10000001', expiryDate: '20301231',
};
export const checked = { deviceId: 'BUS-1', cardId: 'C1', mode: 'online' as const, outcome: 'valid' as const, checkedAt: '2026-12-01T08:00:00Z' };
export const ISSUED_CONSUMER = 'card-issuance__onecard_card-issuance_card_issued';

/** `onecard_events_consumed_total` for one subject and result, as /metrics shows it. */
export async function consumedCount(app: TestApp, subject: EventSubject, result: string): Promise<number> {
  const text = (await app.http('GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`onecard_events_consumed_total{subject="${subject}",result="${result}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The most intervals [started_at, finished_at) open at one moment. */
export function mostAtOnce(intervals: Array<{ started_at: Date; finished_at: Date }>): number {
  return Math.max(...intervals.map((a) => intervals.filter((b) => b.started_at <= a.started_at && a.started_at < b.finished_at).length));
}
