import { randomBytes } from 'node:crypto';
import { Events } from '@onecard/contracts';
import type { HttpResult, TestApp } from '@onecard/testing';
import { blankCard, KioskClient, randomUid } from './kiosk-client';

/** Test-only project keys; the app reads them from CARD_MASTER_KEYS as in production. */
export const PROJECT_KEYS = { P1: '00112233445566778899AABBCCDDEEFF', P2: '0F1E2D3C4B5A69788796A5B4C3D2E1F0' };

export function issuanceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    CARD_MASTER_KEYS: Object.entries(PROJECT_KEYS).map(([p, k]) => `${p}:${k}`).join(','),
    MACHINE_SECRET_KEY: randomBytes(32).toString('hex'),
    ...extra,
  };
}

let machines = 0;
let phones = 0;

export async function createMachine(app: TestApp, projectId = 'P1'): Promise<KioskClient> {
  const machineNo = `K${process.pid}-${++machines}`;
  const res = await app.admin('POST', '/admin/machines', { machineNo, projectId, address: '1 Test Road' });
  expect(res.body).toMatchObject({ code: 0, data: { machineNo, secret: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  return new KioskClient(app, machineNo, res.body.data.secret);
}

export function newPhone(): string {
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(++phones).padStart(4, '0')}`;
}

export interface CreatedOrder {
  orderId: string;
  pickupCode: string;
  userId: string;
  phoneNumber: string;
  body: Record<string, unknown>;
}

export async function createOrder(app: TestApp, overrides: Record<string, unknown> = {}): Promise<CreatedOrder> {
  const body = {
    orderType: 1,
    userId: `U${randomBytes(4).toString('hex')}`,
    userName: '张三',
    idCard: '11010119900307451X',
    phoneNumber: newPhone(),
    companyId: 'C001',
    companyName: '一卡通科技有限公司',
    cardFacePath: 'https://cdn.example.com/faces/1.png',
    cardBackPath: 'https://cdn.example.com/backs/1.png',
    projectId: 'P1',
    ...overrides,
  };
  const res = await app.admin('POST', '/admin/orders', body);
  expect(res.body).toMatchObject({ code: 0, data: { orderId: expect.stringMatching(/^\d{18}$/), pickupCode: expect.stringMatching(/^\d{6}$/) } });
  return { ...res.body.data, userId: body.userId, phoneNumber: body.phoneNumber, body };
}

/** machine.status-changed online/offline, as an outbox row holds it (one message, or a batch of them). */
function isPresenceEvent(subject: string, message: unknown): boolean {
  if (subject !== Events.MachineStatusChanged) return false;
  return ([] as Array<{ status?: string }>).concat(message as { status?: string }).every((m) => m.status === 'online' || m.status === 'offline');
}

/** Every business row, for "changes nothing" assertions. */
export async function snapshot(app: TestApp): Promise<string> {
  const tables = ['machine', 'card_order', 'personalisation_session', 'outbox', 'project_card_counter'];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = await app.db.query(`SELECT * FROM ${t} ORDER BY 1`);
  // A kiosk's last-seen time is written by any signed call, a refused one too, in the background
  // (admin-fleet.e2e-spec checks it): not a change the call made. Nor is its coming online with it
  // (machine-events.e2e-spec): the flag and the machine.status-changed online/offline events.
  for (const m of out.machine as Array<Record<string, unknown>>) {
    delete m.last_seen_at;
    delete m.online_published;
  }
  out.outbox = (out.outbox as Array<{ subject: string; message: unknown }>).filter((e) => !isPresenceEvent(e.subject, e.message));
  // Likewise the relay publishing an earlier call's event: which events exist is the call's, not when they went out.
  for (const e of out.outbox as Array<Record<string, unknown>>) for (const k of ['attempts', 'published_at', 'published_count', 'last_error']) delete e[k];
  return JSON.stringify(out);
}

/** An order redeemed at `kiosk`, a blank card and the first batch outstanding (getOpenCardApdu answered). */
export async function startedSession(app: TestApp, kiosk: KioskClient): Promise<{ order: CreatedOrder; uid: string; card: ReturnType<typeof blankCard>; first: HttpResult }> {
  const order = await createOrder(app);
  expect((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
  const uid = randomUid();
  const card = blankCard(uid, PROJECT_KEYS.P1);
  const first = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid });
  expect(first.body.code).toBe(0);
  return { order, uid, card, first };
}
