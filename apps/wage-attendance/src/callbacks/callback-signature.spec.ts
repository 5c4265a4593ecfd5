import { createHash, createHmac } from 'node:crypto';
import { callbackSignatureHeaders } from './callback-signature';

describe('callback signature', () => {
  it('is what a platform computes from the headers, the path and the body it received', () => {
    const body = 'sn=84E0F420013300B4&operationTime=2018-11-28+03%3A06%3A23';
    const headers = callbackSignatureHeaders('callback-secret-0123', '/api/autosos/callback/otherDevices/deleteDevice', '42', body, 1_732_300_000_000);
    const canonical = ['POST', '/api/autosos/callback/otherDevices/deleteDevice', '1732300000000', '42', createHash('sha256').update(body).digest('hex')].join('\n');
    expect(headers).toEqual({
      'x-timestamp': '1732300000000',
      'x-callback-id': '42',
      'x-signature': createHmac('sha256', 'callback-secret-0123').update(canonical).digest('hex'),
    });
  });
});
