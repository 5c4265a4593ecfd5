import { formatCardNo, formatOrderId } from './card-number';

describe('order and card numbers', () => {
  it('orderId is the date and a zero-padded sequence', () => {
    expect(formatOrderId('20260101', 42)).toBe('202601010000000042');
  });

  it('cardNo is the project number and its own sequence, 16 digits', () => {
    expect(formatCardNo(1, 1)).toBe('0001000000000001');
    expect(formatCardNo(12, '345')).toBe('0012000000000345');
    expect(formatCardNo(3, 7)).not.toBe(formatCardNo(7, 3));
  });
});
