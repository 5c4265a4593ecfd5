import { CardCheckRow, newTaps, StoredTap } from './card-check-recorder';

const row = (cardId: string, second: number, outcome: CardCheckRow['outcome'] = 'valid'): CardCheckRow => ({
  deviceId: 'BUS-1', lineId: 'L1', cardId, checkedAtMs: Date.UTC(2026, 0, 1, 8, 0, second), receivedAtMs: Date.now(), checkMode: 0, outcome, retCode: 0,
});
const stored = (r: CardCheckRow): StoredTap => ({ deviceId: r.deviceId, cardId: r.cardId, checkedAtMs: r.checkedAtMs, outcome: r.outcome });

describe('newTaps', () => {
  it('keeps every row when all were stored (the insert names none)', () => {
    const rows = [row('A', 1), row('B', 1)];
    expect(newTaps(rows, null)).toEqual(rows);
    expect(newTaps(rows, rows.map(stored))).toEqual(rows);
  });

  it('drops retries already stored and repeats within the batch, in batch order', () => {
    const [a, b, aAgain, c] = [row('A', 1), row('B', 1), row('A', 1), row('C', 2)];
    expect(newTaps([a, b, aAgain, c], [stored(c), stored(a)])).toEqual([a, c]);
  });

  it('keeps none when the insert stored none (a batch of nothing but retries)', () => {
    expect(newTaps([row('A', 1), row('B', 1)], [])).toEqual([]);
  });

  it('tells a retry from the same second answered differently', () => {
    const [valid, invalid] = [row('A', 1, 'valid'), row('A', 1, 'invalid')];
    expect(newTaps([valid, invalid], [stored(invalid)])).toEqual([invalid]);
  });
});
