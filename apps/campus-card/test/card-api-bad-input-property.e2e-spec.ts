import { describeBadInputProperty, TEST_ADMIN_TOKEN } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { CampusCardConfig } from '../src/config';
import { call, campusEnv, clientToken, createClient, createUser, openCard, paymentNotice, userToken, wireNow } from './support/campus';
import { jpegOf } from './support/images';

interface Holder {
  userCode: string;
  queryPassword: string;
  cardNo: string;
  /** A cardholder token (every scope) of a client permitted to transfer. */
  token: string;
  /** The client's own token (client credentials, every scope). */
  service: string;
  rechargeId: number;
}

/**
 * Issue 12's drill over campus-card's documented calls and operator calls: each broken a hundred
 * ways (sent as raw bytes: JSON, wrong content types, garbage, odd queries), answered below 500 in
 * the card API's exact envelope, never errno 500, a refusal changing no row counts.
 */
describeBadInputProperty<CampusCardConfig, Holder>({
  app: campusCardApp,
  env: campusEnv(),
  setup: async (app) => {
    const client = await createClient(app, { allowTransfer: true });
    const manager = await userToken(app, client, await createUser(app), ['manage_card']);
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true, openAmount: 1000 });
    await app.admin('PUT', `/admin/users/${user.userCode}/photo`, { photo: jpegOf(358, 441).toString('base64') });
    const token = await userToken(app, client, user);
    const recharge = await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: 10 });
    return { userCode: user.userCode, queryPassword: user.queryPassword, cardNo, token, service: await clientToken(app, client), rechargeId: recharge.body.entities[0].id };
  },
  auth: ({ path }, h): Record<string, string> => {
    if (path.startsWith('/admin/')) return { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    if (path.startsWith('/v1/payment/')) return {};
    return { authorization: `Bearer ${path.startsWith('/v1/card') ? h.service : h.token}` };
  },
  calls: [
    { name: '获取校园卡信息', method: 'GET', path: '/v1/me/card' },
    { name: '校园卡开户', method: 'PUT', path: '/v1/me/card', validBody: (h) => ({ userCode: h.userCode, cardType: '801', expireDate: '20301231', free: true, openAmount: 0 }) },
    { name: '查询校园卡身份信息', method: 'GET', path: '/v1/me/card/user', validBody: (h) => ({ userCode: h.userCode }) },
    { name: '获取交易记录信息', method: 'GET', path: '/v1/me/card/transactions', validBody: (h) => ({ cardNo: h.cardNo, beginDate: 0, orderBy: 'dateTime', start: 0, limit: 20 }) },
    { name: '设置卡信息和状态', method: 'POST', path: '/v1/me/card', validBody: (h) => ({ cardNo: h.cardNo, queryPassword: h.queryPassword, lost: false }) },
    { name: '获取校园卡照片', method: 'GET', path: '/v1/me/card/photo', validBody: (h) => ({ cardNo: h.cardNo, urlOnly: true }) },
    { name: '更新校园卡照片', method: 'POST', path: '/v1/me/card/photo', validBody: (h) => ({ cardNo: h.cardNo, photo: jpegOf(358, 441).toString('base64') }) },
    { name: '查询充值请求', method: 'GET', path: '/v1/me/card/recharge', validBody: (h) => ({ cardNo: h.cardNo, id: h.rechargeId }) },
    { name: '提交充值请求', method: 'POST', path: '/v1/me/card/recharge', validBody: (h) => ({ cardNo: h.cardNo, amount: 10 }) },
    { name: '提交拾卡信息', method: 'POST', path: '/v1/card/foundLostCard', validBody: (h) => ({ name: '张三', code: h.userCode, cardNo: h.cardNo, msg: '在食堂捡到' }) },
    { name: '根据学工号或物理卡号查询卡信息', method: 'GET', path: '/v1/card', validBody: (h) => ({ userId: h.userCode }) },
    { name: '冻结解冻校园卡', method: 'POST', path: '/v1/card', validBody: (h) => ({ cardNo: h.cardNo, frozen: false }) },
    { name: '查询校园卡余额转结订单', method: 'GET', path: '/v1/me/card/transfer', validBody: (h) => ({ cardNo: h.cardNo }) },
    { name: '校园卡余额转结', method: 'POST', path: '/v1/me/card/transfer', validBody: (h) => ({ cardNo: h.cardNo, queryPassword: h.queryPassword, amount: 0.01 }) },
    { name: 'payment notification', method: 'POST', path: '/v1/payment/notify', validBody: (h) => paymentNotice({ id: h.rechargeId, amount: '10.00', payTime: wireNow(), status: 'SUCCESS' }) },
    { name: 'operator: POS purchase', method: 'POST', path: '/admin/transactions', validBody: (h) => ({ cardNo: h.cardNo, merchantNo: 'M001', merchant: '大众餐厅', system: '第二食堂', amount: 0.01 }) },
    { name: 'operator: bind a card', method: 'POST', path: '/admin/cards/:cardNo/bind', params: (h) => ({ cardNo: h.cardNo }), validBody: { cardId: 'A1B2C3D4' } },
    { name: 'operator: a user', method: 'POST', path: '/admin/users', validBody: { userCode: 'PROP1', name: '李四', organize: '网络信息中心', userType: 'student', password: 'login-pass-1', queryPassword: '123456' } },
    { name: 'operator: a client', method: 'POST', path: '/admin/clients', validBody: { clientId: 'prop-app', clientSecret: 'prop-secret-0123456789', redirectUris: ['https://app.example/cb'], scopes: ['card_info'], grants: ['authorization_code'], allowTransfer: false } },
  ],
  envelope: (body: any) => {
    if (body?.errno === 0) {
      expect(body).toEqual(expect.objectContaining({ errno: 0, error: 'success', total: expect.any(Number) }));
      expect(Object.keys(body).filter((k) => !['errno', 'error', 'total', 'entities'].includes(k))).toEqual([]);
      if ('entities' in body) expect(Array.isArray(body.entities)).toBe(true);
    } else {
      expect(body).toEqual({ errno: expect.any(Number), error: expect.any(String), total: 0 });
    }
    return { ok: body.errno === 0, code: body.errno, message: body.error };
  },
  internalCodes: [500],
  tables: ['campus_user', 'card_account', 'physical_card', 'ledger_entry', 'recharge_order', 'transfer_order', 'found_card_report', 'user_photo', 'oauth_client', 'outbox'],
});
