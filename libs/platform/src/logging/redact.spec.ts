import { redact, redactText } from './redact';

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
    expect(redactText('user 110101199003074514 phone 13812345678 order 42')).toBe(
      'user 110***********4514 phone 138****5678 order 42',
    );
  });
});
