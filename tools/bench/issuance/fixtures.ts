// The issuance benchmark's data: orders seeded by SQL or made through the admin API, and what the run left in the database and on the stream.
import { connect } from 'nats';
import type { Client } from 'pg';
import { Events } from '@onecard/contracts';
import { hashSecret } from '@onecard/platform';
import { adminCall } from '../../sim/kiosk/signed-client';
import { BenchTarget, withClient } from '../common';

const withDb = <T>(t: BenchTarget, work: (db: Client) => Promise<T>) => withClient(t.schemaUrl, work);

/**
 * Orders come from SQL, not POST /admin/orders, so thousands take a second. They are
 * pre-redeemed at their kiosk (as after openCardUserDetail); kiosk i gets orders i, i+N, i+2N…
 */
export function seedOrders(t: BenchTarget, machines: string[], perKiosk: number): Promise<void> {
  return withDb(t, async (db) => {
    await db.query(
      `INSERT INTO card_order (order_id, order_type, project_id, user_id, user_name, id_card, phone_number, company_id, company_name,
         card_face_path, card_back_path, card_no, pickup_code_hash, pickup_expires_at, claimed_machine_no, claimed_at)
       SELECT 'B' || lpad(g::text, 9, '0'), 1, 'bench', 'BU' || g, '压测用户', '11010119900307451X', '1' || lpad(g::text, 10, '0'),
         'BC', '压测科技有限公司', 'face.png', 'back.png', lpad(g::text, 16, '0'), 'redeemed', now() + interval '7 days', ($2::text[])[(g - 1) % $3::int + 1], now()
       FROM generate_series(1, $1::int) g`,
      [machines.length * perKiosk, machines, machines.length],
    );
    await db.query('ANALYZE');
  });
}

export interface PickupOrder {
  orderId: string;
  userId: string;
  phoneNumber: string;
  pickupCode: string;
}

/**
 * Orders waiting for their cardholder (the morning burst), made as an operator makes them
 * (POST /admin/orders: the service hashes the code, now in microseconds), each with its own phone
 * number. `scrypt`: then every code is replaced by one code stored as one scrypt hash, as codes
 * were stored before PICKUP_CODE_KEY (still accepted, hashed again when redeemed).
 */
export async function createPickupOrders(t: BenchTarget, url: string, count: number, scrypt = false): Promise<PickupOrder[]> {
  const orders: PickupOrder[] = [];
  for (let n = 1; n <= count; n += 10) {
    const batch = Array.from({ length: Math.min(10, count - n + 1) }, async (_, j) => {
      const [userId, phoneNumber] = [`PU${n + j}`, `2${String(n + j).padStart(10, '0')}`];
      const body = { orderType: 1, userId, userName: '压测用户', idCard: '11010119900307451X', phoneNumber, companyId: 'BC', companyName: '压测科技有限公司', cardFacePath: 'face.png', cardBackPath: 'back.png', projectId: 'bench' };
      const res = await adminCall(url, t.adminToken, 'POST', '/admin/orders', body);
      if (res.body?.code !== 0) throw new Error(`POST /admin/orders: ${res.text}`);
      return { orderId: res.body.data.orderId as string, userId, phoneNumber, pickupCode: res.body.data.pickupCode as string };
    });
    orders.push(...(await Promise.all(batch)));
  }
  return scrypt ? asScrypt(t, orders) : orders;
}

async function asScrypt(t: BenchTarget, orders: PickupOrder[]): Promise<PickupOrder[]> {
  const pickupCode = orders[0].pickupCode;
  const hash = await hashSecret(pickupCode);
  await withDb(t, (db) => db.query(`UPDATE card_order SET pickup_code_hash = $1 WHERE order_id = ANY($2)`, [hash, orders.map((o) => o.orderId)]));
  return orders.map((o) => ({ ...o, pickupCode }));
}

export function countFinished(t: BenchTarget): Promise<number> {
  return withDb(t, async (db) => (await db.query(`SELECT count(*)::int AS n FROM card_order WHERE status = 'FINISHED'`)).rows[0].n);
}

export async function cardIssuedOnStream(t: BenchTarget): Promise<number> {
  const nc = await connect({ servers: t.natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(t.stream, { subjects_filter: `${t.prefix}>` });
    return info.state.subjects?.[`${t.prefix}${Events.CardIssued}`] ?? 0;
  } finally {
    await nc.close();
  }
}
