import { parseShowTime } from './show-time';

describe('showTime', () => {
  it('reads unix ms as number or text, and instants with an offset', () => {
    expect(parseShowTime(1510817674000)).toBe(1510817674000);
    expect(parseShowTime('1510817674000')).toBe(1510817674000);
    expect(parseShowTime('2018-11-28T03:06:23+0000')).toBe(Date.parse('2018-11-28T03:06:23Z'));
    expect(parseShowTime('2018-11-28T11:06:23+08:00')).toBe(Date.parse('2018-11-28T03:06:23Z'));
    expect(parseShowTime('2018-11-28T03:06:23.5-0100')).toBe(Date.parse('2018-11-28T04:06:23.500Z'));
  });

  it('refuses anything else', () => {
    for (const v of ['151081767400', '2018-11-28 03:06:23', '2018-02-30T00:00:00+0000', 'soon', 1.5, -1, null, true, {}]) expect(parseShowTime(v)).toBeUndefined();
  });
});
