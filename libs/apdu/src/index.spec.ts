// Relative import: Nx lint forbids a project importing itself through its @onecard alias.
import * as api from './index';

describe('@onecard/apdu entry point', () => {
  it('exposes the public API', () => {
    for (const name of [
      'CommandApdu', 'ResponseApdu', 'ApduFormatError', 'describeStatusWord', 'encodeTlv', 'decodeTlv',
      'blockEncrypt', 'retailMac', 'pbocSm4Mac', 'truncateMac', 'padIso9797Method2', 'pbocDiversify', 'pbocSessionKey',
      'deriveCardKeys', 'encodeCardholderFile', 'decodeCardholderFile', 'startPersonalisation', 'advancePersonalisation',
      'VirtualCpuCard', 'runBatch', 'runPersonalisation', 'blankCardFor',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
    }
    expect(api.PersonalisationFailure.UNEXPECTED_STATUS_WORD).toBe('UNEXPECTED_STATUS_WORD');
    expect(Object.values(api.PersonalisationFailure)).toHaveLength(5);
  });

  it('personalises a card end to end through the public API only', () => {
    const input: api.PersonalisationInput = {
      uid: '8001020304050607',
      algorithm: 'SM4',
      projectMasterKey: Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'),
      cardholder: { cardNo: '1', name: 'A', idNumber: 'X1', company: '', issueDate: '20240229', expiryDate: '20240229' },
    };
    const card = api.blankCardFor(input);
    expect(api.runPersonalisation(card, input).outcome.kind).toBe('finished');
    expect(card.readCardholder()).toEqual(input.cardholder);
  });
});
