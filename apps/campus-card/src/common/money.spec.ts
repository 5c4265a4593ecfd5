import 'reflect-metadata';
import { validateSync } from 'class-validator';
import { fenToYuan, formatYuan, yuanToFen, YuanAmount } from './money';

class Amount {
  @YuanAmount({ min: 0.01, max: 1000 }) amount: unknown;
}
class Whole {
  @YuanAmount({ min: 1, max: 1000, whole: true }) amount: unknown;
}
const errors = (cls: new () => { amount: unknown }, amount: unknown) => {
  const o = new cls();
  o.amount = amount;
  return validateSync(o).flatMap((e) => Object.values(e.constraints ?? {}));
};

describe('money', () => {
  it('turns yuan with two decimals into whole fen, doubles included', () => {
    expect(yuanToFen(10.34)).toBe(1034);
    expect(yuanToFen(0.29)).toBe(29); // 0.29 * 100 = 28.999999999999996
    expect(yuanToFen(1.005 - 0.005)).toBe(100);
    expect(fenToYuan(1034)).toBe(10.34);
    expect(fenToYuan('8606')).toBe(86.06);
    expect(fenToYuan(-1066)).toBe(-10.66);
  });

  it('writes amounts with two decimals as bills do', () => {
    expect(formatYuan(1000)).toBe('10.00');
    expect(formatYuan('5')).toBe('0.05');
    expect(formatYuan(-1066)).toBe('-10.66');
    expect(formatYuan(123456789012345n)).toBe('1234567890123.45');
  });

  it('accepts amounts with at most two decimals within the bounds, numbers only', () => {
    for (const ok of [0.01, 0.29, 10, 10.5, 999.99, 1000]) expect(errors(Amount, ok)).toEqual([]);
    for (const bad of [0, 0.001, 10.005, 1000.01, -1, Number.NaN, Infinity, '10', null, undefined]) {
      expect(errors(Amount, bad)).toEqual(['amount must be an amount in yuan with at most two decimals, from 0.01 to 1000']);
    }
  });

  it('takes whole yuan only where the document says integer', () => {
    expect(errors(Whole, 10)).toEqual([]);
    expect(errors(Whole, 10.5)).toEqual(['amount must be a whole number of yuan, from 1 to 1000']);
  });
});
