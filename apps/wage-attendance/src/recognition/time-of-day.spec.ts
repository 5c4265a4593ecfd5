import { secondOfDayIn } from './time-of-day';

describe('secondOfDayIn', () => {
  it('reads the wall clock of the zone', () => {
    expect(secondOfDayIn(new Date('2024-06-01T00:30:15Z'), 'Asia/Shanghai')).toBe(8 * 3600 + 30 * 60 + 15);
    expect(secondOfDayIn(new Date('2024-06-01T16:00:00Z'), 'Asia/Shanghai')).toBe(0);
    expect(secondOfDayIn(new Date('2024-06-01T16:00:00Z'), 'UTC')).toBe(16 * 3600);
  });
});
