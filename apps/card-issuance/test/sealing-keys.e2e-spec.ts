import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { sealingKeyFingerprint } from '@onecard/platform';
import { dropSchema, queryAs, schemaSnapshot, startTestApp, TEST_ADMIN_TOKEN, TEST_DATABASE_URL } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, issuanceEnv } from './support/fixtures';
import { KioskClient } from './support/kiosk-client';

const KEY_A = randomBytes(32).toString('hex');
const KEY_B = randomBytes(32).toString('hex');
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
 * One schema booted as an operator would: with key A; with B alone (refused, naming
 * MACHINE_SECRET_KEY, nothing changed); with the key unset (refused, saying the development key
 * is in use); with "B,A" (works, re-seals every kiosk secret with B); with B alone (works).
 */
describe('card-issuance: a MACHINE_SECRET_KEY that does not match what is sealed, and rotation', () => {
  const schema = `card_issuance_t${randomBytes(4).toString('hex')}`;
  const boot = (env: Record<string, string>) => startTestApp(cardIssuanceApp, { env: { ...env, DB_SCHEMA: schema }, keepSchema: true });
  const sealed = async (): Promise<string[]> => (await queryAs(TEST_DATABASE_URL, `SELECT secret_sealed AS s FROM ${schema}.machine ORDER BY machine_no`)).map((r) => r.s as string);
  const recorded = () => queryAs(TEST_DATABASE_URL, `SELECT variable, fingerprint FROM ${schema}.sealing_key ORDER BY 1, 2`);
  /** Two kiosks registered under A, their secrets then rewritten in the legacy format (naming no key). */
  const kiosks: Array<{ machineNo: string; secret: string }> = [];

  afterAll(async () => {
    await dropSchema(schema);
  });

  it('with key A: kiosks are registered and sign calls; their secrets are sealed with A, whose fingerprint is recorded', async () => {
    const app = await boot(issuanceEnv({ MACHINE_SECRET_KEY: KEY_A }));
    try {
      for (let i = 0; i < 2; i++) {
        const kiosk = await createMachine(app, 'P1');
        expect((await kiosk.machineDetail()).body.code).toBe(0);
        kiosks.push({ machineNo: kiosk.machineNo, secret: kiosk.secret });
      }
      const values = await sealed();
      expect(values).toHaveLength(2);
      for (const value of values) expect(value.startsWith(`v2.${FP_A}.`)).toBe(true);
      expect(await recorded()).toEqual([{ variable: 'MACHINE_SECRET_KEY', fingerprint: FP_A }]);
      // As a deployment from before values named their key holds them: only sealing_key says it was A.
      for (const { machineNo, secret } of kiosks) await app.db.query(`UPDATE machine SET secret_sealed = $2 WHERE machine_no = $1`, [machineNo, legacySeal(KEY_A, secret)]);
    } finally {
      await app.close();
    }
  });

  it('with key B alone: start-up stops naming MACHINE_SECRET_KEY, the recorded key and what to do; nothing in the schema changes', async () => {
    const before = await schemaSnapshot(schema);
    await expect(boot(issuanceEnv({ MACHINE_SECRET_KEY: KEY_B }))).rejects.toMatchObject({
      name: 'StartupError',
      variable: 'MACHINE_SECRET_KEY',
      message:
        `MACHINE_SECRET_KEY cannot open the 2 kiosk secrets sealed in schema ${schema} (sealed with key fp ${FP_A}; MACHINE_SECRET_KEY holds key fp ${FP_B}): ` +
        'set it to the key they were sealed with, or list that key after the new one to rotate (MACHINE_SECRET_KEY=<new key>,<old key>)',
    });
    expect(await schemaSnapshot(schema)).toEqual(before);
  });

  it('with the key unset: start-up stops saying the development key derived from ADMIN_TOKEN is in use', async () => {
    const before = await schemaSnapshot(schema);
    const { MACHINE_SECRET_KEY: _, ...env } = issuanceEnv();
    const derived = sealingKeyFingerprint(createHmac('sha256', TEST_ADMIN_TOKEN).update('onecard development key: MACHINE_SECRET_KEY').digest('hex'));
    await expect(boot(env)).rejects.toMatchObject({
      variable: 'MACHINE_SECRET_KEY',
      message:
        `MACHINE_SECRET_KEY cannot open the 2 kiosk secrets sealed in schema ${schema} (sealed with key fp ${FP_A}; MACHINE_SECRET_KEY is unset and the development key derived from ADMIN_TOKEN is fp ${derived}): ` +
        'set MACHINE_SECRET_KEY to the key they were sealed with, or list that key after the new one to rotate (MACHINE_SECRET_KEY=<new key>,<old key>)',
    });
    expect(await schemaSnapshot(schema)).toEqual(before);
  });

  it('with "B,A": starts, re-seals every kiosk secret with B, and the kiosks sign with the secrets they were given', async () => {
    const app = await boot(issuanceEnv({ MACHINE_SECRET_KEY: `${KEY_B},${KEY_A}` }));
    try {
      const values = await sealed();
      expect(values).toHaveLength(2);
      for (const value of values) expect(value.startsWith(`v2.${FP_B}.`)).toBe(true);
      expect(await recorded()).toEqual([{ variable: 'MACHINE_SECRET_KEY', fingerprint: FP_B }]);
      for (const { machineNo, secret } of kiosks) {
        const res = await new KioskClient(app, machineNo, secret).machineDetail();
        expect([machineNo, res.body.code]).toEqual([machineNo, 0]);
      }
    } finally {
      await app.close();
    }
  });

  it('with B alone: starts, the kiosks sign calls and new kiosks are sealed with B', async () => {
    const app = await boot(issuanceEnv({ MACHINE_SECRET_KEY: KEY_B }));
    try {
      for (const { machineNo, secret } of kiosks) expect((await new KioskClient(app, machineNo, secret).machineDetail()).body.code).toBe(0);
      const added = await createMachine(app, 'P1');
      expect((await added.machineDetail()).body.code).toBe(0);
      const values = await sealed();
      expect(values).toHaveLength(3);
      for (const value of values) expect(value.startsWith(`v2.${FP_B}.`)).toBe(true);
    } finally {
      await app.close();
    }
  });
});
