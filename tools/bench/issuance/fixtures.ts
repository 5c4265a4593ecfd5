// The issuance benchmark's data: orders seeded by SQL, and what the run left in the database and on the stream.
import { connect } from 'nats';
import type { Client } from 'pg';
import { Events } from '@onecard/contracts';
import { CardIssuanceConfig } from '../../../apps/card-issuance/src/config';
import { PickupCodeHasher } from '../../../apps/card-issuance/src/orders/pickup-code-hash';
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
 * Orders waiting for their cardholder (the morning burst): unclaimed, each with its own phone
 * number and code, hashed as the service hashes them under the PICKUP_CODE_KEY it was given.
 */
export function seedPickupOrders(t: BenchTarget, pickupCodeKey: string, orders: PickupOrder[]): Promise<void> {
  const hasher = new PickupCodeHasher({ PICKUP_CODE_KEY: pickupCodeKey } as CardIssuanceConfig);
  const rows = orders.map((o, n) => ({ n, orderId: o.orderId, userId: o.userId, phoneNumber: o.phoneNumber, hash: hasher.hash(o.orderId, o.pickupCode) }));
  return withDb(t, async (db) => {
    await db.query(
      `INSERT INTO card_order (order_id, order_type, project_id, user_id, user_name, id_card, phone_number, company_id, company_name,
         card_face_path, card_back_path, card_no, pickup_code_hash, pickup_expires_at)
       SELECT o."orderId", 1, 'bench', o."userId", '压测用户', '11010119900307451X', o."phoneNumber", 'BC', '压测科技有限公司',
         'face.png', 'back.png', '9' || lpad(n::text, 15, '0'), o.hash, now() + interval '7 days'
       FROM json_to_recordset($1::json) AS o(n int, "orderId" text, "userId" text, "phoneNumber" text, hash text)`,
      [JSON.stringify(rows)],
    );
    await db.query('ANALYZE');
  });
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
