import { formatWireTime, parseWireTime } from './wire-time';

describe('wire time', () => {
  const instant = new Date('2019-08-24T08:20:14Z');

  it('formats in Asia/Shanghai with the documents patterns', () => {
    expect(formatWireTime(instant, 'yyMMddHHmmss')).toBe('190824162014');
    expect(formatWireTime(instant, 'yyyy-MM-dd HH:mm:ss')).toBe('2019-08-24 16:20:14');
    expect(formatWireTime(instant, 'yyyyMMdd')).toBe('20190824');
  });

  it('parses device times back to the same instant', () => {
    expect(parseWireTime('2019-08-24 16:20:14')?.toISOString()).toBe(instant.toISOString());
    expect(parseWireTime('20190824162014')?.toISOString()).toBe(instant.toISOString());
    expect(parseWireTime('190824162014')?.toISOString()).toBe(instant.toISOString());
    expect(parseWireTime('1566634814')?.toISOString()).toBe(instant.toISOString());
  });

  it('refuses what is not a time', () => {
    expect(parseWireTime('yesterday')).toBeUndefined();
    expect(parseWireTime('2019-13-24 16:20:14')).toBeUndefined();
    expect(parseWireTime('2023-02-31 08:00:00')).toBeUndefined();
    expect(parseWireTime('230431080000')).toBeUndefined();
    expect(parseWireTime('2024-02-29 08:00:00')).toEqual(new Date('2024-02-29T00:00:00Z'));
  });
});
