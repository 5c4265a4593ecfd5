// `npm run sim:kiosk`: one kiosk's whole journey against a running card-issuance, printing each
// step. An operator registers the kiosk and an order (/admin), then the kiosk reads its details,
// reports its consumables, redeems the pickup code, personalises a blank virtual CPU card batch
// by batch, reports the end, and the card is read back.
//
// Environment: CARD_ISSUANCE_URL (default http://127.0.0.1:3001), ADMIN_TOKEN, CARD_MASTER_KEYS,
// CARD_ALGORITHM (3DES), CARD_SM4_MAC_FOLD (xor-halves; the virtual card's COS) as the service has them — falling back to .data/dev-secrets.json, which
// `npm start` writes — and SIM_PROJECT_ID (default: the first project of CARD_MASTER_KEYS).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { blankCardFor, CardAlgorithm, Sm4MacFold } from '@onecard/apdu';
import { parseMasterKeys } from './kiosk/card-keys';
import { devSecrets } from './dev-secrets';
import { KioskCallError, personalise } from './kiosk/personalise';
import { adminCall, closeConnections, SignedKiosk, WireResult } from './kiosk/signed-client';

const ROOT = resolve(__dirname, '..', '..', '..');

function setting(name: string, dev: Record<string, string>, fallback?: string): string {
  const value = process.env[name] || dev[name] || fallback;
  if (!value) {
    process.stderr.write(`sim:kiosk: ${name} is not set (and .data/dev-secrets.json has none); export the value the service uses\n`);
    process.exit(2);
  }
  return value;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const show = (label: string, result: WireResult) => say(`  ${label} (${result.ms.toFixed(1)} ms) → ${result.text}`);

function expectOk(call: string, result: WireResult): any {
  if (result.body?.code !== 0) throw new KioskCallError(call, result);
  return result.body.data;
}

async function main(): Promise<void> {
  const dev = devSecrets(ROOT);
  const baseUrl = process.env.CARD_ISSUANCE_URL || 'http://127.0.0.1:3001';
  const adminToken = setting('ADMIN_TOKEN', dev);
  const keys = parseMasterKeys(setting('CARD_MASTER_KEYS', dev));
  const algorithm = setting('CARD_ALGORITHM', dev, '3DES') as CardAlgorithm;
  const sm4MacFold = setting('CARD_SM4_MAC_FOLD', dev, 'xor-halves') as Sm4MacFold;
  const projectId = process.env.SIM_PROJECT_ID || [...keys.keys()][0];
  const masterKey = keys.get(projectId);
  if (!masterKey) throw new Error(`CARD_MASTER_KEYS has no key for project ${projectId}`);
  const tag = randomBytes(3).toString('hex');

  say(`card-issuance at ${baseUrl}, project ${projectId}, ${algorithm} cards`);
  say('\n1. operator registers a kiosk (POST /admin/machines)');
  const machineNo = `SIM-${tag}`;
  const machine = expectOk('POST /admin/machines', await adminCall(baseUrl, adminToken, 'POST', '/admin/machines', { machineNo, projectId, address: 'Simulator, 1 Demo Road' }));
  say(`  machineNo ${machine.machineNo}, secret issued (shown once, not printed)`);
  const kiosk = new SignedKiosk(baseUrl, machineNo, machine.secret);

  say('\n2. operator creates an order (POST /admin/orders)');
  const phoneNumber = `139${String(Date.now()).slice(-8)}`;
  const userId = `SIM-U-${tag}`;
  const order = expectOk('POST /admin/orders', await adminCall(baseUrl, adminToken, 'POST', '/admin/orders', {
    orderType: 1, userId, userName: '王小明', idCard: '110101199003074514', phoneNumber, companyId: 'SIM-C1', companyName: '模拟科技有限公司',
    cardFacePath: 'https://example.com/card/face.png', cardBackPath: 'https://example.com/card/back.png', projectId,
  }));
  say(`  orderId ${order.orderId}, pickup code ${order.pickupCode} (sent to ${phoneNumber})`);

  say('\n3. kiosk: machineDetail');
  const detail = await kiosk.machineDetail();
  show(`GET /yktInfo/openCard/machineDetail/${machineNo}`, detail);
  expectOk('machineDetail', detail);

  say('\n4. kiosk: saveMachine (consumables)');
  const saved = await kiosk.saveMachine({ cardCount: '480', inkCount: '75', cardRopeCover: '300' });
  show('POST /yktInfo/openCard/saveMachine', saved);
  expectOk('saveMachine', saved);

  say('\n5. kiosk: openCardUserDetail (phone + pickup code)');
  const user = await kiosk.openCardUserDetail(phoneNumber, order.pickupCode);
  show('POST /yktInfo/openCard/openCardUserDetail', user);
  expectOk('openCardUserDetail', user);

  say('\n6. kiosk: personalise a blank card (getOpenCardApdu, apduExeResult …)');
  const uid = randomBytes(7).toString('hex').toUpperCase();
  const card = blankCardFor({ uid, algorithm, projectMasterKey: masterKey, sm4MacFold });
  say(`  blank card uid ${uid}`);
  let batchNo = 0;
  const answers = await personalise(kiosk, card, order.orderId, userId, {
    onBatch(batch, report, answer) {
      batchNo++;
      say(`  batch ${batchNo}: ${batch.length} command(s) #${batch[0].index}..#${batch[batch.length - 1].index}`);
      const ran = card.transcript.slice(-(report.lastIndex - batch[0].index + 1));
      batch.forEach((step, i) => say(`    #${step.index} > ${step.capdu}  < ${ran[i]?.rapdu ?? '(not run)'}  (expect ${step.sws})`));
      say(`    report apduIndex=${report.lastIndex} rapdu=${report.rapdu} → code ${answer.body?.code}, isFinished ${answer.body?.data?.isFinished} (${answer.ms.toFixed(1)} ms)`);
    },
  });
  say(`  ${answers.length} round trips, personalisation finished`);

  say('\n7. kiosk: finish');
  const finished = await kiosk.finish(order.orderId, userId, uid);
  show('POST /yktInfo/openCard/finish', finished);
  expectOk('finish', finished);

  say('\n8. the card read back (SELECT + READ BINARY on the virtual card)');
  for (const [k, v] of Object.entries(card.readCardholder())) say(`  ${k.padEnd(11)} ${v}`);
  const shown = expectOk('GET /admin/orders/:id', await adminCall(baseUrl, adminToken, 'GET', `/admin/orders/${order.orderId}`));
  say(`\norder ${shown.orderId}: ${shown.status}, uid ${shown.uid}, cardNo ${shown.cardNo}, expires ${shown.expiryDate}`);
}

main()
  .then(() => {
    closeConnections();
  })
  .catch((error: unknown) => {
    closeConnections();
    process.stderr.write(`sim:kiosk failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
