import { acceptableCardNo, cardKey, looksLikeResidentId } from './resident-id';

describe('resident ID numbers among card numbers', () => {
  it('accepts real ID numbers (check digit by ISO 7064 MOD 11-2, X included)', () => {
    // 11010519491231002X is GB 11643's own example; 330326201801010813 the document's sample with its right check digit.
    for (const id of ['11010519491231002X', '11010519491231002x', '330326201801010813']) {
      expect(looksLikeResidentId(id)).toBe(true);
      expect(acceptableCardNo(id)).toBe(true);
    }
  });

  it('refuses an ID-shaped number with a wrong check character or an impossible date', () => {
    expect(looksLikeResidentId('110105194912310021')).toBe(true);
    expect(acceptableCardNo('110105194912310021')).toBe(false);
    // The document's own sample idNum fails its check digit (3 expected).
    expect(acceptableCardNo('330326201801010818')).toBe(false);
    expect(acceptableCardNo('110105194902300025')).toBe(false); // 30 February
    expect(acceptableCardNo('12345678901234567X')).toBe(false);
  });

  it('leaves other card numbers alone: short, hex, or 18 digits without a birth date', () => {
    for (const card of ['888', '04A1B2C3', 'E2C0E0554345', '123456789012345678', '000000000000000000']) {
      expect(looksLikeResidentId(card)).toBe(false);
      expect(acceptableCardNo(card)).toBe(true);
    }
  });

  it('keys cards as a terminal reads them: upper case, no blanks', () => {
    expect(cardKey(' 04a1 b2c3 ')).toBe('04A1B2C3');
    expect(cardKey('11010519491231002x')).toBe('11010519491231002X');
  });
});
