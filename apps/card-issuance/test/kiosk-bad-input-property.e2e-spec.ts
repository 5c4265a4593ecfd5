import { describeBadInputProperty } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { CardIssuanceConfig } from '../src/config';
import { createMachine, issuanceEnv, startedSession } from './support/fixtures';
import { KIOSK, KioskClient } from './support/kiosk-client';

interface Kiosk {
  kiosk: KioskClient;
  orderId: string;
  userId: string;
  phoneNumber: string;
  pickupCode: string;
  uid: string;
}

/** Issue 12's drill over the six kiosk calls, signed as a kiosk signs (the body hash covers the bytes sent). */
describeBadInputProperty<CardIssuanceConfig, Kiosk>({
  app: cardIssuanceApp,
  // No offline sweep while it runs: a run longer than KIOSK_OFFLINE_AFTER_S (BAD_INPUT_RUNS) would have
  // the kiosk's next refused call, which is still the kiosk heard from, publish its online between a refusal's two counts.
  env: issuanceEnv({ KIOSK_OFFLINE_SWEEP_MS: '600000' }),
  setup: async (app) => {
    const kiosk = await createMachine(app, 'P1');
    // An order redeemed at this kiosk with a session running, so valid bodies reach the business rules.
    const { order, uid } = await startedSession(app, kiosk);
    return { kiosk, orderId: order.orderId, userId: order.userId, phoneNumber: order.phoneNumber, pickupCode: order.pickupCode, uid };
  },
  auth: ({ method, path, body }, { kiosk }) => kiosk.headersFor(method, path, body),
  calls: [
    { name: 'machineDetail', method: 'GET', path: `${KIOSK}/machineDetail/:machineNo`, params: ({ kiosk }) => ({ machineNo: kiosk.machineNo }) },
    { name: 'saveMachine', method: 'POST', path: `${KIOSK}/saveMachine`, validBody: ({ kiosk }) => ({ machineNo: kiosk.machineNo, cardCount: '120', inkCount: '80', cardRopeCover: '60' }) },
    { name: 'openCardUserDetail', method: 'POST', path: `${KIOSK}/openCardUserDetail`, validBody: (k) => ({ phoneNumber: k.phoneNumber, pickupCode: k.pickupCode, machineNo: k.kiosk.machineNo }) },
    { name: 'getOpenCardApdu', method: 'POST', path: `${KIOSK}/getOpenCardApdu`, validBody: (k) => ({ orderId: k.orderId, userId: k.userId, uid: k.uid }) },
    { name: 'apduExeResult', method: 'POST', path: `${KIOSK}/apduExeResult`, validBody: (k) => ({ apduIndex: '2', rapdu: '9000', result: '0x00', userId: k.userId, uid: k.uid }) },
    { name: 'finish', method: 'POST', path: `${KIOSK}/finish`, validBody: (k) => ({ machineNo: k.kiosk.machineNo, orderId: k.orderId, userId: k.userId, uid: k.uid }) },
  ],
  envelope: (body: any) => {
    if (body?.code === 0) expect(body).toEqual({ code: 0, msg: 'success', success: true, status: 0, data: expect.anything() });
    else expect(body).toEqual({ code: expect.any(Number), msg: expect.any(String), success: false, status: body?.code, data: null });
    return { ok: body.code === 0, code: body.code, message: body.msg };
  },
  internalCodes: [500],
  // Not request_nonce (every signed request claims its nonce before its body is judged) nor
  // pickup_attempt (wrong pickup codes are counted on purpose).
  tables: ['machine', 'card_order', 'personalisation_session', 'project_card_counter', 'outbox'],
});
