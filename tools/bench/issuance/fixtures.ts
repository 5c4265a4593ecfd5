// The issuance benchmark's data: orders seeded by SQL, and what the run left in the database and on the stream.
import { connect } from 'nats';
import type { Client } from 'pg';
import { Events } from '@onecard/contracts';
import { BenchTarget, withClient } from '../common';

const withDb = <T>(t: BenchTarget, work: (db: Client) => Promise<T>) => withClient(t.schemaUrl, work);

/**
 * Orders come from SQL, not POST /admin/orders: each API order costs a ~45 ms scrypt of its
 * pickup code, so thousands would take minutes. They are pre-redeemed at their kiosk (as after
 * openCardUserDetail); kiosk i gets orders i, i+N, i+2N… One unredeemed order per kiosk, with a
 * pickup code, serves the openCardUserDetail sample.
 */
export function seedOrders(t: BenchTarget, machines: string[], perKiosk: number, pickupHash: string): Promise<void> {
  return withDb(t, async (db) => {
    const n = machines.length * perKiosk;
    await db.query(
      `INSERT INTO card_order (order_id, order_type, project_id, user_id, user_name, id_card, phone_number, company_id, company_name,
         card_face_path, card_back_path, card_no, pickup_code_hash, pickup_expires_at, claimed_machine_no, claimed_at)
       SELECT 'B' || lpad(g::text, 9, '0'), 1, 'bench', 'BU' || g, '压测用户', '11010119900307451X', '1' || lpad(g::text, 10, '0'),
         'BC', '压测科技有限公司', 'face.png', 'back.png', lpad(g::text, 16, '0'), $1, now() + interval '7 days',
         CASE WHEN g <= $2::int THEN ($3::text[])[(g - 1) % $4::int + 1] END, CASE WHEN g <= $2::int THEN now() END
       FROM generate_series(1, $2::int + $4::int) g`,
      [pickupHash, n, machines, machines.length],
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
