import { parseDeviceTime } from './wire-clock';

describe('parseDeviceTime', () => {
  const zone = 'Asia/Shanghai';
  const at = (text: string) => parseDeviceTime(text, zone)?.toISOString();

  it("reads the platform's forms", () => {
    for (const text of ['2019-08-24 16:20:14', '20190824162014', '190824162014', '1566634814', '1566634814000']) {
      expect([text, at(text)]).toEqual([text, '2019-08-24T08:20:14.000Z']);
    }
  });

  it('reads slashes, one-digit fields, a T, and fractions of a second (kept to the millisecond)', () => {
    expect(at('2019/08/24 16:20:14')).toBe('2019-08-24T08:20:14.000Z');
    expect(at('2019/8/4 6:20:14')).toBe('2019-08-03T22:20:14.000Z');
    expect(at('2019-08-24T16:20:14')).toBe('2019-08-24T08:20:14.000Z');
    expect(at('2019-08-24 16:20:14.123')).toBe('2019-08-24T08:20:14.123Z');
    expect(at('2019/08/24 16:20:14.5')).toBe('2019-08-24T08:20:14.500Z');
    expect(at('2019/08/24 16:20:14,123456')).toBe('2019-08-24T08:20:14.123Z');
    expect(at('20190824162014123')).toBe('2019-08-24T08:20:14.123Z');
    // The same second with other milliseconds: each its own instant (the cache is by second).
    expect(at('2019-08-24 16:20:14.999')).toBe('2019-08-24T08:20:14.999Z');
  });

  it('refuses what is not a time', () => {
    for (const text of ['yesterday', '2019/08-24 16:20:14', '2019/13/24 16:20:14', '2019/02/30 00:00:00', '2019-08-24 16:20:14.1234567', '2019-08-24 24:00:00', '2019082416201412']) {
      expect([text, at(text)]).toEqual([text, undefined]);
    }
  });
});
