import { createHmac } from 'node:crypto';
import { billPostData, notificationSign, notificationSignatureValid } from './payment-sign';

describe('payment notification signatures', () => {
  const n = { id: '300000000000001', amount: '10.00', payTime: '2021-11-15 15:30:00', status: 'SUCCESS' };

  it('is lowercase hex HMAC-SHA256 over id|amount|payTime|status', () => {
    const expected = createHmac('sha256', 'k'.repeat(32)).update('300000000000001|10.00|2021-11-15 15:30:00|SUCCESS').digest('hex');
    expect(notificationSign('k'.repeat(32), n)).toBe(expected);
    expect(notificationSignatureValid('k'.repeat(32), n, expected)).toBe(true);
  });

  it('fails for any changed field, an uppercase sign or another key', () => {
    const sign = notificationSign('k'.repeat(32), n);
    expect(notificationSignatureValid('k'.repeat(32), { ...n, amount: '10.0' }, sign)).toBe(false);
    expect(notificationSignatureValid('k'.repeat(32), { ...n, status: 'FAILED' }, sign)).toBe(false);
    expect(notificationSignatureValid('k'.repeat(32), n, sign.toUpperCase())).toBe(false);
    expect(notificationSignatureValid('x'.repeat(32), n, sign)).toBe(false);
  });
});

describe('billPostData', () => {
  it('form-encodes the bill as the document shows and signs the XML', () => {
    const post = billPostData({ secret: 's'.repeat(32), sysid: '000', subsysid: '111', feeItemId: 'F1', returnUrl: 'https://app/back?a=1&b=2' }, '331615992016896', '12345', 1000);
    expect(post.data.startsWith('%3C%3Fxml+version%3D%221.0%22+encoding%3D%22UTF-8%22%3F%3E%0A%3Cbillinfo%3E%3Cversion%3E1.0.0.4%3C%2Fversion%3E%3Cbillno%3E331615992016896%3C%2Fbillno%3E')).toBe(true);
    const bill = new URLSearchParams(`d=${post.data}`).get('d')!;
    expect(bill).toContain('<orderinfono>12345</orderinfono>');
    expect(bill).toContain('<amt>10.00</amt>');
    expect(bill).toContain('<returnURL>https://app/back?a=1&amp;b=2</returnURL>');
    expect(post).toMatchObject({ subsysid: '111', sysid: '000', sign: createHmac('sha256', 's'.repeat(32)).update(bill).digest('hex') });
  });
});
