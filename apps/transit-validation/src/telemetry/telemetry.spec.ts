import { MAX_SENT, readTelemetry } from './telemetry';

describe('readTelemetry', () => {
  it('reads plain numbers in range as they are, keeping no text', () => {
    expect(readTelemetry('lng', '114.057868')).toEqual({ value: 114.057868, notation: 'plain' });
    expect(readTelemetry('lat', 22.543099)).toEqual({ value: 22.543099, notation: 'plain' });
    expect(readTelemetry('lat', ' -33.9 ')).toEqual({ value: -33.9, notation: 'plain' });
    expect(readTelemetry('course', '360')).toEqual({ value: 360, notation: 'plain' });
    expect(readTelemetry('speed', 0)).toEqual({ value: 0, notation: 'plain' });
    expect(readTelemetry('software_ver', '102')).toEqual({ value: 102, notation: 'plain' });
    expect(readTelemetry('software_ver', 102)).toEqual({ value: 102, notation: 'plain' });
  });

  it('treats absent, null and blank as not sent', () => {
    for (const field of ['lng', 'lat', 'course', 'speed', 'software_ver'] as const) {
      for (const sent of [undefined, null, '', '  ']) expect(readTelemetry(field, sent)).toEqual({ notation: 'plain' });
    }
  });

  it('converts NMEA (d)ddmm.mmmm to degrees', () => {
    expect(readTelemetry('lng', '12128.4220')).toEqual({ value: 121.473700000, sent: '12128.4220', notation: 'converted' });
    expect(readTelemetry('lat', '3114.5000')).toEqual({ value: 31.241666667, sent: '3114.5000', notation: 'converted' });
    expect(readTelemetry('lng', 12128.422)).toEqual({ value: 121.4737, sent: '12128.422', notation: 'converted' });
    // Leading zeros say NMEA even when the digits would pass as degrees.
    expect(readTelemetry('lng', '08130.0000')).toEqual({ value: 81.5, sent: '08130.0000', notation: 'converted' });
    expect(readTelemetry('lat', '0030.0000')).toEqual({ value: 0.5, sent: '0030.0000', notation: 'converted' });
    // Minutes of 60 or more, or degrees off the axis: not NMEA after all.
    expect(readTelemetry('lat', '3160.0000')).toEqual({ sent: '3160.0000', notation: 'unparsed' });
    expect(readTelemetry('lat', '9130.0000')).toEqual({ sent: '9130.0000', notation: 'unparsed' });
  });

  it('applies a hemisphere letter of the right axis, before or after', () => {
    expect(readTelemetry('lng', 'E121.47')).toEqual({ value: 121.47, sent: 'E121.47', notation: 'converted' });
    expect(readTelemetry('lng', 'w121.47')).toEqual({ value: -121.47, sent: 'w121.47', notation: 'converted' });
    expect(readTelemetry('lat', '31.2 S')).toEqual({ value: -31.2, sent: '31.2 S', notation: 'converted' });
    expect(readTelemetry('lat', '3114.5000,N')).toEqual({ value: 31.241666667, sent: '3114.5000,N', notation: 'converted' });
    expect(readTelemetry('lng', '12128.4220W')).toEqual({ value: -121.4737, sent: '12128.4220W', notation: 'converted' });
    // The other axis's letter, a letter with a sign, a letter alone: kept as text only.
    expect(readTelemetry('lng', 'N31.2')).toEqual({ sent: 'N31.2', notation: 'unparsed' });
    expect(readTelemetry('lat', 'S-31.2')).toEqual({ sent: 'S-31.2', notation: 'unparsed' });
    expect(readTelemetry('lat', 'N')).toEqual({ sent: 'N', notation: 'unparsed' });
  });

  it('reads other number syntax in range', () => {
    expect(readTelemetry('speed', '3.25e1')).toEqual({ value: 32.5, sent: '3.25e1', notation: 'converted' });
    expect(readTelemetry('course', '+90')).toEqual({ value: 90, sent: '+90', notation: 'converted' });
    expect(readTelemetry('course', '0x5A')).toEqual({ sent: '0x5A', notation: 'unparsed' });
    expect(readTelemetry('course', 'Infinity')).toEqual({ sent: 'Infinity', notation: 'unparsed' });
  });

  it('keeps out-of-range values and non-numbers as text only', () => {
    expect(readTelemetry('course', '-1')).toEqual({ sent: '-1', notation: 'unparsed' });
    expect(readTelemetry('course', -1)).toEqual({ sent: '-1', notation: 'unparsed' });
    expect(readTelemetry('lat', 123.5)).toEqual({ sent: '123.5', notation: 'unparsed' });
    expect(readTelemetry('speed', '32.5km/h')).toEqual({ sent: '32.5km/h', notation: 'unparsed' });
    expect(readTelemetry('lng', 'east')).toEqual({ sent: 'east', notation: 'unparsed' });
    expect(readTelemetry('lng', true)).toEqual({ sent: 'true', notation: 'unparsed' });
    expect(readTelemetry('lng', { deg: 121 })).toEqual({ sent: '{"deg":121}', notation: 'unparsed' });
    expect(readTelemetry('software_ver', '1.0.3')).toEqual({ sent: '1.0.3', notation: 'unparsed' });
    expect(readTelemetry('software_ver', 1.5)).toEqual({ sent: '1.5', notation: 'unparsed' });
    expect(readTelemetry('software_ver', '99999999999')).toEqual({ sent: '99999999999', notation: 'unparsed' });
    expect(readTelemetry('software_ver', -3)).toEqual({ sent: '-3', notation: 'unparsed' });
  });

  it('cuts text beyond MAX_SENT characters', () => {
    const long = 'x'.repeat(MAX_SENT + 10);
    expect(readTelemetry('lng', long)).toEqual({ sent: 'x'.repeat(MAX_SENT), notation: 'unparsed' });
  });
});
