import { insideWindows, parsePassTimes, parsePermissionTime } from './pass-times';

const at = (h: number, m: number, s = 0) => h * 3600 + m * 60 + s;

describe('passTimes', () => {
  it('reads windows and pairs, with or without seconds; empty is any time', () => {
    expect(parsePassTimes('')).toEqual({ ok: true, windows: [] });
    expect(parsePassTimes('07:00-12:00,13:00-19:30')).toEqual({ ok: true, windows: [{ from: at(7, 0), to: at(12, 0) }, { from: at(13, 0), to: at(19, 30) }] });
    expect(parsePassTimes('07:00,12:00,13:00,19:00')).toEqual(parsePassTimes('07:00-12:00,13:00-19:00'));
    expect(parsePassTimes('08:00:30,17:00:00')).toEqual({ ok: true, windows: [{ from: at(8, 0, 30), to: at(17, 0) }] });
  });

  it('refuses what is not a time, an odd list, mixed forms and empty windows, naming the part', () => {
    expect(parsePassTimes('07:00,12:00,13:00')).toMatchObject({ ok: false, problem: expect.stringMatching(/pairs/) });
    expect(parsePassTimes('7h-12h')).toEqual({ ok: false, problem: '"7h-12h" is not a window HH:mm-HH:mm' });
    expect(parsePassTimes('24:00,25:00')).toMatchObject({ ok: false, problem: '"24:00" is not a time HH:mm or HH:mm:ss' });
    expect(parsePassTimes('07:00-12:00,13:00')).toMatchObject({ ok: false });
    expect(parsePassTimes('07:00-07:00')).toMatchObject({ ok: false, problem: expect.stringMatching(/same time/) });
  });

  it('judges a time of day against the windows, end excluded, across midnight too', () => {
    const day = [{ from: at(7, 0), to: at(12, 0) }];
    expect([at(6, 59, 59), at(7, 0), at(11, 59, 59), at(12, 0)].map((t) => insideWindows(day, t))).toEqual([false, true, true, false]);
    const night = [{ from: at(22, 0), to: at(6, 0) }];
    expect([at(23, 0), at(2, 0), at(6, 0), at(12, 0)].map((t) => insideWindows(night, t))).toEqual([true, true, false, false]);
  });
});

describe('permissionTime', () => {
  const zone = 'Asia/Shanghai';

  it('reads start,end in the wire zone; a date alone ends with its day; either side may be open', () => {
    expect(parsePermissionTime('2024-01-01,2024-12-31', zone)).toEqual({
      ok: true,
      period: { from: new Date('2023-12-31T16:00:00Z'), until: new Date('2024-12-31T16:00:00Z') },
    });
    expect(parsePermissionTime('2024-01-01 08:00:00,', zone)).toEqual({ ok: true, period: { from: new Date('2024-01-01T00:00:00Z'), until: null } });
    expect(parsePermissionTime(',2024-01-01 08:00:00', zone)).toEqual({ ok: true, period: { from: null, until: new Date('2024-01-01T00:00:00Z') } });
  });

  it('refuses other forms and a period ending before it starts', () => {
    expect(parsePermissionTime('2024-01-01', zone)).toMatchObject({ ok: false });
    expect(parsePermissionTime('2024/01/01,2024-02-01', zone)).toMatchObject({ ok: false });
    expect(parsePermissionTime('2024-02-01,2024-01-01', zone)).toEqual({ ok: false, problem: 'must end after it starts' });
  });
});
