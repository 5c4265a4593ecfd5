import { isResidentIdNumber, redact, redactText } from './redact';

/**
 * Completes 17 digits with their check character from ISO 7064 MOD 11-2's own definition (the
 * whole number, read with weight 2^(i-1) from the right, is 1 modulo 11), not from the weight
 * table redact.ts uses. Made-up numbers: no real person's.
 */
function withCheck(first17: string): string {
  const sum = [...first17].reverse().reduce((s, d, i) => s + Number(d) * 2 ** (i + 1), 0);
  for (let c = 0; c <= 10; c++) if ((sum + c) % 11 === 1) return first17 + (c === 10 ? 'X' : String(c));
  throw new Error('unreachable');
}

/** A valid ID number ending in X (the sequence is searched for). */
function idEndingInX(prefix14: string): string {
  for (let seq = 0; seq < 1000; seq++) {
    const id = withCheck(prefix14 + String(seq).padStart(3, '0'));
    if (id.endsWith('X')) return id;
  }
  throw new Error('none');
}

/** The same 17 digits with any other check character: a near miss. */
function wrongCheck(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
}

const masked = (id: string) => `${id.slice(0, 3)}***********${id.slice(-4)}`;

describe('redact', () => {
  it('drops secrets and masks ID and phone numbers at any depth', () => {
    const out = redact({
      machineNo: 'K1',
      secret: 's3cr3t',
      user: { idCard: '110101199003074514', phoneNumber: '13812345678', name: '张三' },
      list: [{ queryPassword: '123456' }],
    });
    expect(out).toEqual({
      machineNo: 'K1',
      secret: '[REDACTED]',
      user: { idCard: '110***********14', phoneNumber: '138****5678', name: '张三' },
      list: [{ queryPassword: '[REDACTED]' }],
    });
  });

  it('drops anything named as a key, secret, password or token', () => {
    expect(redact({ MACHINE_SECRET_KEY: 'k', CARD_MASTER_KEYS: 'P1:00', tokenKey: 't', client_secret: 's', ADMIN_TOKEN: 'a', newPassword: 'p', key_id: 3, cardRopeCover: '1' })).toEqual({
      MACHINE_SECRET_KEY: '[REDACTED]', CARD_MASTER_KEYS: '[REDACTED]', tokenKey: '[REDACTED]', client_secret: '[REDACTED]', ADMIN_TOKEN: '[REDACTED]', newPassword: '[REDACTED]', key_id: 3, cardRopeCover: '1',
    });
  });

  it('masks ID and phone numbers inside free text', () => {
    const id = withCheck('11010519491231002');
    expect(redactText(`user ${id} phone 13812345678 order 42`)).toBe(`user ${masked(id)} phone 138****5678 order 42`);
  });
});

describe('resident ID numbers in free text', () => {
  const valid = [
    withCheck('11010519491231002'),
    withCheck('44030620000229123'), // 29 February of a leap year
    withCheck('81000019000101001'), // first year and region digit 8
    withCheck('65010220991231999'), // last year
    idEndingInX('31011519850615'),
    idEndingInX('51010719770704').toLowerCase(),
  ];

  it.each(valid)('masks %s, a well-formed ID number', (id) => {
    expect(isResidentIdNumber(id)).toBe(true);
    expect(redactText(`id=${id}, retry`)).toBe(`id=${masked(id)}, retry`);
  });

  it('checks the check character: the same digits with any other one are left alone', () => {
    for (const id of valid) {
      expect(redactText(`id ${wrongCheck(id)}`)).toBe(`id ${wrongCheck(id)}`);
      for (const c of '0123456789X') {
        const other = id.slice(0, 17) + c;
        expect(isResidentIdNumber(other)).toBe(c === id[17].toUpperCase());
      }
    }
  });

  it.each([
    ['a region code starting with 0', '01010519491231002'],
    ['a region code starting with 9', '91010519491231002'],
    ['a year before 1900', '11010518991231002'],
    ['a year after 2099', '11010521000101002'],
    ['month 00', '11010519490031002'],
    ['month 13', '11010519491331002'],
    ['day 00', '11010519491200002'],
    ['31 April', '11010519490431002'],
    ['29 February 1900 (not a leap year)', '11010519000229002'],
    ['30 February', '11010520000230002'],
  ])('leaves alone 18 digits with %s, even with a correct check digit', (_why, first17) => {
    const text = withCheck(first17);
    expect(isResidentIdNumber(text)).toBe(false);
    expect(redactText(`n ${text}`)).toBe(`n ${text}`);
  });

  it('leaves order ids and card numbers readable', () => {
    const line = 'order 202411300000000042 failed: card 0001000000000042 (bank 6222021234567890123) at K1';
    expect(redactText(line)).toBe(line);
    // Order ids are yyyyMMdd + 10-digit sequence: below a million the "month" digits are 00.
    for (const seq of [0, 1, 42, 99_999, 999_999]) {
      const orderId = `20241119${String(seq).padStart(10, '0')}`;
      expect(redactText(orderId)).toBe(orderId);
    }
  });

  it('masks only a number standing alone, not 18 characters inside a longer word or number', () => {
    const id = valid[0];
    for (const text of [`9${id}`, `${id}7`, `ID${id}`, `${id}abc`]) expect(redactText(text)).toBe(text);
  });
});

describe('mobile numbers in free text', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86138****5678'],
    ['8613812345678', '86138****5678'],
    ['008619912345678', '0086199****5678'],
    ['+86 13812345678', '+86 138****5678'],
    ['+86-15012345678', '+86-150****5678'],
  ])('masks %s', (phone, expected) => {
    expect(redactText(`call ${phone}, then`)).toBe(`call ${expected}, then`);
  });

  it('leaves numbers that are not mobile numbers alone', () => {
    for (const text of ['12812345678', '138123456789', '1381234567', '98613812345678']) expect(redactText(`n ${text}`)).toBe(`n ${text}`);
  });
});
