import { randomBytes } from 'node:crypto';
import { hashSecret } from '@onecard/platform';
import { dropSchema, queryAs, startTestApp, TEST_DATABASE_URL, type TestApp } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { pickupKeyFingerprint } from '../src/orders/pickup-code-hash';
import { createMachine, createOrder, CreatedOrder, issuanceEnv } from './support/fixtures';
import { KioskClient } from './support/kiosk-client';

const KEY_A = randomBytes(32).toString('hex');
const KEY_B = randomBytes(32).toString('hex');
const FP_A = pickupKeyFingerprint(Buffer.from(KEY_A, 'hex'));
const FP_B = pickupKeyFingerprint(Buffer.from(KEY_B, 'hex'));
const MACHINE_SECRET_KEY = randomBytes(32).toString('hex');

/** Another 6-digit code than `code`. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/**
 * Pickup codes are HMACs under PICKUP_CODE_KEY; one schema booted as an operator would: with key
 * A (codes issued, and an order from before holding a scrypt hash: still redeemed, then hashed
 * under A); with B alone (refused: pending codes need A); with "B,A" (codes under A still redeem
 * and move to B); with B alone once no pending code needs A.
 */
describe('card-issuance: pickup codes under PICKUP_CODE_KEY, scrypt codes from before, and rotation', () => {
  const schema = `card_issuance_t${randomBytes(4).toString('hex')}`;
  const boot = (key: string) => startTestApp(cardIssuanceApp, { env: { ...issuanceEnv({ MACHINE_SECRET_KEY, PICKUP_CODE_KEY: key }), DB_SCHEMA: schema }, keepSchema: true });
  const hashOf = async (orderId: string): Promise<string> => (await queryAs(TEST_DATABASE_URL, `SELECT pickup_code_hash AS h FROM ${schema}.card_order WHERE order_id = $1`, [orderId]))[0].h as string;
  let kiosk: { machineNo: string; secret: string };
  const at = (app: TestApp) => new KioskClient(app, kiosk.machineNo, kiosk.secret);
  /** Redeemed under B,A; still pending under A; cancelled later; expired, never claimed, under A. */
  let moved: CreatedOrder, waiting: CreatedOrder, expired: CreatedOrder;

  afterAll(async () => {
    await dropSchema(schema);
  });

  it('with key A: codes are stored as HMACs naming A; a scrypt hash from before still redeems, once, and is hashed again under A', async () => {
    const app = await boot(KEY_A);
    try {
      kiosk = await createMachine(app, 'P1');
      [moved, waiting, expired] = [await createOrder(app), await createOrder(app), await createOrder(app)];
      for (const o of [moved, waiting, expired]) expect(await hashOf(o.orderId)).toMatch(new RegExp(`^hmac-sha256\\$${FP_A}\\$[A-Za-z0-9+/]{43}=$`));
      await app.db.query(`UPDATE card_order SET pickup_expires_at = now() - interval '1 hour' WHERE order_id = $1`, [expired.orderId]);

      const old = await createOrder(app);
      const scrypt = await hashSecret(old.pickupCode);
      await app.db.query(`UPDATE card_order SET pickup_code_hash = $2 WHERE order_id = $1`, [old.orderId, scrypt]);
      expect((await at(app).userDetail(old.phoneNumber, wrong(old.pickupCode))).body).toMatchObject({ code: 404, msg: 'pickupCode: wrong phone number or pickup code (4 attempts left)' });
      expect(await hashOf(old.orderId)).toBe(scrypt);
      const redeemed = await at(app).userDetail(old.phoneNumber, old.pickupCode);
      expect(redeemed.body).toMatchObject({ code: 0, data: { orderId: old.orderId, userId: old.userId } });
      expect(await hashOf(old.orderId)).toMatch(new RegExp(`^hmac-sha256\\$${FP_A}\\$`));
      expect((await at(app).userDetail(old.phoneNumber, old.pickupCode)).body).toEqual(redeemed.body);
      await app.admin('POST', `/admin/orders/${old.orderId}/cancel`);
    } finally {
      await app.close();
    }
  });

  it('with key B alone: start-up stops naming PICKUP_CODE_KEY and the key the pending codes need', async () => {
    await expect(boot(KEY_B)).rejects.toMatchObject({
      name: 'StartupError',
      variable: 'PICKUP_CODE_KEY',
      message:
        `PICKUP_CODE_KEY: pending orders' pickup codes were hashed with a key not configured (2 under key ${FP_A}; configured: ${FP_B}); ` +
        'list that key after the newest ("new,old") until those codes are used or expire, or issue new codes',
    });
  });

  it('with "B,A": a code hashed under A redeems and is hashed again under B; a wrong one is still refused and counted', async () => {
    const app = await boot(`${KEY_B},${KEY_A}`);
    try {
      expect((await at(app).userDetail(waiting.phoneNumber, wrong(waiting.pickupCode))).body).toMatchObject({ code: 404, msg: 'pickupCode: wrong phone number or pickup code (4 attempts left)' });
      expect((await at(app).userDetail(moved.phoneNumber, moved.pickupCode)).body).toMatchObject({ code: 0, data: { orderId: moved.orderId } });
      expect(await hashOf(moved.orderId)).toMatch(new RegExp(`^hmac-sha256\\$${FP_B}\\$`));
      expect(await hashOf(waiting.orderId)).toMatch(new RegExp(`^hmac-sha256\\$${FP_A}\\$`));
      const renewed = await createOrder(app);
      expect(await hashOf(renewed.orderId)).toMatch(new RegExp(`^hmac-sha256\\$${FP_B}\\$`));
      await app.admin('POST', `/admin/orders/${waiting.orderId}/cancel`);
    } finally {
      await app.close();
    }
  });

  it('with B alone once no pending code needs A: starts, and the codes moved to B redeem', async () => {
    const app = await boot(KEY_B);
    try {
      expect((await at(app).userDetail(moved.phoneNumber, moved.pickupCode)).body).toMatchObject({ code: 0, data: { orderId: moved.orderId } });
      // The expired, never claimed code under A did not hold start-up back; it answers as a wrong code now.
      expect((await at(app).userDetail(expired.phoneNumber, expired.pickupCode)).body).toMatchObject({ code: 404 });
    } finally {
      await app.close();
    }
  });
});
