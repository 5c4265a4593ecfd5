import { createCipheriv, randomBytes } from 'node:crypto';
import { sealingKeyFingerprint } from '@onecard/platform';
import { dropSchema, queryAs, schemaSnapshot, startTestApp, TEST_DATABASE_URL } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { ValidatorClient, wireNow } from './validator-client';

const KEY_A = randomBytes(32).toString('hex');
const KEY_B = randomBytes(32).toString('hex');
const TOKEN_1 = randomBytes(24).toString('base64url');
const TOKEN_2 = randomBytes(24).toString('base64url');
const FP_A = sealingKeyFingerprint(KEY_A);
const FP_B = sealingKeyFingerprint(KEY_B);

/** A value sealed the way SecretBox did before values named their key (v1.<iv>.<tag>.<body>). */
function legacySeal(hexKey: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(hexKey, 'hex'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

/**
 * One schema booted four times, as an operator would: with key A; with B alone (refused, naming
 * TRANSIT_SECRET_KEY, nothing changed); with "B,A" (works, re-seals everything with B); with B
 * alone (works). TRANSIT_TOKEN_KEY rotates alongside: a token signed before keeps working while
 * its key is listed.
 */
describe('transit-validation: sealing keys that do not match what is sealed, and rotation', () => {
  const schema = `transit_validation_t${randomBytes(4).toString('hex')}`;
  const boot = (secretKey: string, tokenKey: string) =>
    startTestApp(transitValidationApp, { env: { DB_SCHEMA: schema, TRANSIT_SECRET_KEY: secretKey, TRANSIT_TOKEN_KEY: tokenKey }, keepSchema: true });
  const sealed = async (): Promise<string[]> =>
    (
      await queryAs(TEST_DATABASE_URL, `SELECT secret_sealed AS s FROM ${schema}.device UNION ALL SELECT private_key_sealed FROM ${schema}.qr_key ORDER BY 1`)
    ).map((r) => r.s as string);
  const recorded = () => queryAs(TEST_DATABASE_URL, `SELECT variable, fingerprint FROM ${schema}.sealing_key ORDER BY 1, 2`);

  /** BUS-K1 registered under A; BUS-K2 as a device registered before values named their key. */
  const devices: Record<string, { secret: string; token: string }> = {};
  /** BUS-K1's token from the first boot, signed with TOKEN_1. */
  let firstToken = '';

  afterAll(async () => {
    await dropSchema(schema);
  });

  it('with key A: registers devices and issues QR codes; every value is sealed with A, whose fingerprint is recorded', async () => {
    const app = await boot(KEY_A, TOKEN_1);
    try {
      for (const id of ['BUS-K1', 'BUS-K2']) {
        const bus = await new ValidatorClient(app, id, 'L1').register().then((b) => b.login());
        devices[id] = { secret: bus.secret, token: bus.token };
      }
      firstToken = devices['BUS-K1'].token;
      expect((await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U1' })).body).toMatchObject({ ret_code: 0 });
      const values = await sealed();
      expect(values).toHaveLength(2 + app.config.TRANSIT_QR_KEYS_PER_GROUP);
      for (const value of values) expect(value.startsWith(`v2.${FP_A}.`)).toBe(true);
      expect(await recorded()).toEqual([{ variable: 'TRANSIT_SECRET_KEY', fingerprint: FP_A }]);
      // As a deployment from before this change holds it: sealed with A, naming no key.
      await app.db.query(`UPDATE device SET secret_sealed = $2 WHERE device_id = $1`, ['BUS-K2', legacySeal(KEY_A, devices['BUS-K2'].secret)]);
    } finally {
      await app.close();
    }
  });

  it('with key B alone: start-up stops naming TRANSIT_SECRET_KEY, what it cannot open and what to do; nothing in the schema changes', async () => {
    const before = await schemaSnapshot(schema);
    await expect(boot(KEY_B, TOKEN_1)).rejects.toMatchObject({
      name: 'StartupError',
      variable: 'TRANSIT_SECRET_KEY',
      message:
        `TRANSIT_SECRET_KEY cannot open the 2 device secrets and 4 QR private keys sealed in schema ${schema} ` +
        `(sealed with key fp ${FP_A}; TRANSIT_SECRET_KEY holds key fp ${FP_B}): set it to the key they were sealed with, ` +
        'or list that key after the new one to rotate (TRANSIT_SECRET_KEY=<new key>,<old key>)',
    });
    expect(await schemaSnapshot(schema)).toEqual(before);
  });

  it('with "B,A": starts, re-seals every value with B, and the devices, their tokens and the QR keys work as before', async () => {
    const app = await boot(`${KEY_B},${KEY_A}`, `${TOKEN_2},${TOKEN_1}`);
    try {
      const values = await sealed();
      expect(values).toHaveLength(6);
      for (const value of values) expect(value.startsWith(`v2.${FP_B}.`)).toBe(true);
      expect(await recorded()).toEqual([{ variable: 'TRANSIT_SECRET_KEY', fingerprint: FP_B }]);

      // A token signed with the old token key is still accepted …
      const k1 = new ValidatorClient(app, 'BUS-K1', 'L1');
      k1.token = firstToken;
      expect((await k1.call('/get_qrcode_keys', { req_id: 'k' })).body).toMatchObject({ req_id: 'k', ret_code: 0 });
      // … and both devices (the legacy-sealed one too) sign /get_token with the secret they were given.
      for (const id of ['BUS-K1', 'BUS-K2']) {
        const bus = new ValidatorClient(app, id, 'L1');
        bus.secret = devices[id].secret;
        await bus.login();
        devices[id].token = bus.token;
      }
      // The QR keys sealed with A sign new codes, which a validator accepts.
      const issued = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U2' });
      expect(issued.body).toMatchObject({ ret_code: 0, qr_code: expect.any(String) });
      k1.token = devices['BUS-K1'].token;
      expect((await k1.ticketCheck(issued.body.qr_code, wireNow())).body).toEqual({ req_id: 'tc', ret_code: 0, ret_msg: '成功', sound_no: 0 });
    } finally {
      await app.close();
    }
  });

  it('with B alone: starts and works; a token signed with the dropped token key is refused, a new one accepted', async () => {
    const app = await boot(KEY_B, TOKEN_2);
    try {
      const k1 = new ValidatorClient(app, 'BUS-K1', 'L1');
      k1.token = firstToken;
      expect((await k1.call('/get_qrcode_keys', { req_id: 'k' })).body).toEqual({ req_id: 'k', ret_code: 1102, ret_msg: 'token: not a token this server issued' });
      k1.token = devices['BUS-K1'].token;
      expect((await k1.call('/get_qrcode_keys', { req_id: 'k' })).body).toMatchObject({ req_id: 'k', ret_code: 0 });
      const k2 = new ValidatorClient(app, 'BUS-K2', 'L1');
      k2.secret = devices['BUS-K2'].secret;
      await k2.login();
      expect((await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U3' })).body).toMatchObject({ ret_code: 0 });
      expect(await recorded()).toEqual([{ variable: 'TRANSIT_SECRET_KEY', fingerprint: FP_B }]);
    } finally {
      await app.close();
    }
  });
});
