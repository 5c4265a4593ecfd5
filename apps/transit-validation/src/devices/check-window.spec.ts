import { formatWindow, normaliseTimeOfDay, withinWindow } from './check-window';

const zone = 'Asia/Shanghai';
/** A Shanghai wall-clock instant. */
const at = (local: string) => new Date(`${local}+08:00`);

describe('check window', () => {
  it('normalises times of day', () => {
    expect(normaliseTimeOfDay('7:45')).toBe('07:45:00');
    expect(normaliseTimeOfDay('07:45:30')).toBe('07:45:30');
    expect(normaliseTimeOfDay('24:00')).toBeUndefined();
    expect(normaliseTimeOfDay('noon')).toBeUndefined();
  });

  it('accepts all day without a window', () => {
    expect(withinWindow({ start: null, end: null }, at('2023-08-03T03:00:00'), zone)).toBe(true);
    expect(formatWindow({ start: null, end: null }, at('2023-08-03T03:00:00'), zone)).toEqual({ start: '2023-08-03 00:00:00', end: '2023-08-03 23:59:59' });
  });

  it('checks a daytime window, ends included', () => {
    const w = { start: '07:45:00', end: '09:45:00' };
    expect(withinWindow(w, at('2023-08-03T07:45:00'), zone)).toBe(true);
    expect(withinWindow(w, at('2023-08-03T09:45:00'), zone)).toBe(true);
    expect(withinWindow(w, at('2023-08-03T09:45:01'), zone)).toBe(false);
    expect(formatWindow(w, at('2023-08-03T12:00:00'), zone)).toEqual({ start: '2023-08-03 07:45:00', end: '2023-08-03 09:45:00' });
  });

  it('handles a window across midnight, naming the occurrence that is running', () => {
    const w = { start: '22:00:00', end: '02:00:00' };
    expect(withinWindow(w, at('2023-08-03T23:30:00'), zone)).toBe(true);
    expect(withinWindow(w, at('2023-08-04T01:30:00'), zone)).toBe(true);
    expect(withinWindow(w, at('2023-08-04T12:00:00'), zone)).toBe(false);
    expect(formatWindow(w, at('2023-08-04T01:30:00'), zone)).toEqual({ start: '2023-08-03 22:00:00', end: '2023-08-04 02:00:00' });
    expect(formatWindow(w, at('2023-08-31T23:00:00'), zone)).toEqual({ start: '2023-08-31 22:00:00', end: '2023-09-01 02:00:00' });
  });
});
