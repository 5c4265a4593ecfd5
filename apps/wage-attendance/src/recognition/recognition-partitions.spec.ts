import { partitionMonths, partitionName } from './recognition-partitions';

describe('recognition partitions', () => {
  it('are named and bounded by UTC month, from last month to two ahead, across a year end', () => {
    const months = partitionMonths(new Date('2024-12-31T23:59:59Z'), 1, 2);
    expect(months.map((m) => m.toISOString())).toEqual(['2024-11-01T00:00:00.000Z', '2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
    expect(months.map(partitionName)).toEqual(['recognition_p202411', 'recognition_p202412', 'recognition_p202501', 'recognition_p202502']);
  });
});
