import { judgeStock } from './stock-rule';

const level = (remaining: number, threshold: number, wasLow: boolean) => ({ item: 'cardCount' as const, remaining, threshold, wasLow });

describe('judgeStock', () => {
  it('emits when an item first falls below its threshold', () => {
    expect(judgeStock([level(9, 10, false)])[0]).toMatchObject({ low: true, emit: true });
  });

  it('does not emit again while it stays low', () => {
    expect(judgeStock([level(3, 10, true)])[0]).toMatchObject({ low: true, emit: false });
  });

  it('re-arms once restocked to the threshold or above', () => {
    expect(judgeStock([level(10, 10, true)])[0]).toMatchObject({ low: false, emit: false });
    expect(judgeStock([level(9, 10, false)])[0]).toMatchObject({ low: true, emit: true });
  });

  it('never alarms at threshold 0 and judges each item on its own', () => {
    const verdicts = judgeStock([
      { item: 'cardCount', remaining: 0, threshold: 0, wasLow: false },
      { item: 'inkCount', remaining: 1, threshold: 5, wasLow: false },
      { item: 'cardRopeCover', remaining: 1, threshold: 5, wasLow: true },
    ]);
    expect(verdicts.map((v) => v.emit)).toEqual([false, true, false]);
    expect(verdicts.map((v) => v.low)).toEqual([false, true, true]);
  });
});
